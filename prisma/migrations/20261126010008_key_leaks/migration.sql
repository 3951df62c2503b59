-- CreateEnum
CREATE TYPE "LeakSource" AS ENUM ('github', 'report');

-- CreateEnum
CREATE TYPE "LeakAction" AS ENUM ('revoked', 'notified', 'none');

-- CreateTable
CREATE TABLE "KeyLeak" (
    "id" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "source" "LeakSource" NOT NULL,
    "url" TEXT NOT NULL DEFAULT '',
    "secretHash" TEXT NOT NULL,
    "action" "LeakAction" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KeyLeak_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "KeyLeak_organizationId_createdAt_idx" ON "KeyLeak"("organizationId", "createdAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "KeyLeak_keyId_source_url_key" ON "KeyLeak"("keyId", "source", "url");

-- AddForeignKey
ALTER TABLE "KeyLeak" ADD CONSTRAINT "KeyLeak_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "ApiKey"("id") ON DELETE CASCADE ON UPDATE CASCADE;
