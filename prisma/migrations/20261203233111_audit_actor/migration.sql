-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "actorKeyId" TEXT,
ADD COLUMN     "actorKeyName" TEXT,
ADD COLUMN     "actorKeyPrefix" TEXT,
ADD COLUMN     "actorType" TEXT;
