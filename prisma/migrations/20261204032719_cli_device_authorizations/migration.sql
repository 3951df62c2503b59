-- CreateEnum
CREATE TYPE "CliDeviceStatus" AS ENUM ('pending', 'approved', 'denied', 'claimed');

-- CreateTable
CREATE TABLE "CliDeviceAuthorization" (
    "id" TEXT NOT NULL,
    "deviceCodeHash" TEXT NOT NULL,
    "userCodeHash" TEXT NOT NULL,
    "clientName" TEXT NOT NULL,
    "status" "CliDeviceStatus" NOT NULL DEFAULT 'pending',
    "interval" INTEGER NOT NULL DEFAULT 5,
    "lastPolledAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "requestIp" TEXT,
    "approvedById" TEXT,
    "organizationId" TEXT,
    "environment" "KeyEnvironment",
    "scopes" "Scope"[] DEFAULT ARRAY[]::"Scope"[],
    "approvedAt" TIMESTAMP(3),
    "approvalIp" TEXT,
    "deniedAt" TIMESTAMP(3),
    "denyReason" TEXT,
    "claimedAt" TIMESTAMP(3),
    "keyId" TEXT,

    CONSTRAINT "CliDeviceAuthorization_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CliDeviceAuthorization_deviceCodeHash_key" ON "CliDeviceAuthorization"("deviceCodeHash");

-- CreateIndex
CREATE UNIQUE INDEX "CliDeviceAuthorization_userCodeHash_key" ON "CliDeviceAuthorization"("userCodeHash");

-- CreateIndex
CREATE UNIQUE INDEX "CliDeviceAuthorization_keyId_key" ON "CliDeviceAuthorization"("keyId");

-- CreateIndex
CREATE INDEX "CliDeviceAuthorization_expiresAt_idx" ON "CliDeviceAuthorization"("expiresAt");
