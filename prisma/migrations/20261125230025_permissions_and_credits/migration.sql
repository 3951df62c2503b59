-- CreateEnum
CREATE TYPE "CreditInterval" AS ENUM ('day', 'month');

-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "creditsRefillAmount" INTEGER,
ADD COLUMN     "creditsRefillInterval" "CreditInterval",
ADD COLUMN     "creditsRefilledAt" TIMESTAMP(3),
ADD COLUMN     "creditsRemaining" INTEGER,
ADD COLUMN     "permissions" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "UsageEvent" ADD COLUMN     "cost" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "UsageRollup" ADD COLUMN     "credits" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Permission" (
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Permission_pkey" PRIMARY KEY ("name")
);
