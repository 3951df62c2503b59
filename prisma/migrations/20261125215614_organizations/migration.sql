-- CreateEnum
CREATE TYPE "OrgRole" AS ENUM ('owner', 'admin', 'developer', 'viewer');

-- CreateEnum
CREATE TYPE "KeyRequestPolicy" AS ENUM ('never', 'admin_scope', 'always');

-- CreateEnum
CREATE TYPE "LeakResponse" AS ENUM ('revoke', 'notify');

-- CreateEnum
CREATE TYPE "KeyRequestStatus" AS ENUM ('pending', 'approved', 'denied', 'revealed');

-- CreateTable
CREATE TABLE "Organization" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "plan" "Plan" NOT NULL DEFAULT 'FREE',
    "clientId" TEXT NOT NULL,
    "personal" BOOLEAN NOT NULL DEFAULT false,
    "suspendedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "maxKeyLifetimeDays" INTEGER,
    "requireAllowlistForAdmin" BOOLEAN NOT NULL DEFAULT false,
    "requireMfa" BOOLEAN NOT NULL DEFAULT false,
    "keyRequestPolicy" "KeyRequestPolicy" NOT NULL DEFAULT 'never',
    "approvalPermissions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "leakResponse" "LeakResponse" NOT NULL DEFAULT 'revoke',

    CONSTRAINT "Organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "OrgRole" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Invitation" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "OrgRole" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "invitedById" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "acceptedById" TEXT,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Invitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KeyRequest" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "requesterId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "environment" "KeyEnvironment" NOT NULL,
    "scopes" "Scope"[],
    "permissions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "keyExpiresAt" TIMESTAMP(3),
    "ipAllowlist" JSONB NOT NULL DEFAULT '[]',
    "rateLimit" INTEGER,
    "reason" TEXT NOT NULL,
    "status" "KeyRequestStatus" NOT NULL DEFAULT 'pending',
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "denyReason" TEXT,
    "keyId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KeyRequest_pkey" PRIMARY KEY ("id")
);

-- Data: every existing user becomes the owner of a personal organization that takes over their plan, client ID and
-- suspension (so existing X-Client-ID values and suspended accounts behave as before), keys, usage and key audit events.
INSERT INTO "Organization" ("id", "name", "slug", "plan", "clientId", "personal", "suspendedAt", "createdAt", "updatedAt")
SELECT 'org_' || u."id",
       left(split_part(u."email", '@', 1), 60),
       coalesce(nullif(trim(both '-' from left(regexp_replace(lower(split_part(u."email", '@', 1)), '[^a-z0-9]+', '-', 'g'), 30)), ''), 'org') || '-' || left(md5(u."id"), 6),
       u."plan", u."clientId", true, u."suspendedAt", u."createdAt", CURRENT_TIMESTAMP
FROM "User" u;

INSERT INTO "Membership" ("id", "organizationId", "userId", "role", "createdAt")
SELECT 'mem_' || u."id", 'org_' || u."id", u."id", 'owner', u."createdAt" FROM "User" u;

ALTER TABLE "ApiKey" ADD COLUMN "createdById" TEXT, ADD COLUMN "organizationId" TEXT;
UPDATE "ApiKey" SET "organizationId" = 'org_' || "userId", "createdById" = "userId";
ALTER TABLE "ApiKey" ALTER COLUMN "organizationId" SET NOT NULL;
ALTER TABLE "ApiKey" DROP CONSTRAINT "ApiKey_userId_fkey";
DROP INDEX "ApiKey_userId_activeName_key";
DROP INDEX "ApiKey_userId_createdAt_id_idx";
ALTER TABLE "ApiKey" DROP COLUMN "userId";

ALTER TABLE "UsageEvent" ADD COLUMN "organizationId" TEXT;
UPDATE "UsageEvent" SET "organizationId" = 'org_' || "userId";
ALTER TABLE "UsageEvent" ALTER COLUMN "organizationId" SET NOT NULL;
DROP INDEX "UsageEvent_userId_ts_idx";
ALTER TABLE "UsageEvent" DROP COLUMN "userId";

ALTER TABLE "UsageRollup" ADD COLUMN "organizationId" TEXT;
UPDATE "UsageRollup" SET "organizationId" = 'org_' || "userId";
ALTER TABLE "UsageRollup" ALTER COLUMN "organizationId" SET NOT NULL;
DROP INDEX "UsageRollup_userId_granularity_bucket_idx";
ALTER TABLE "UsageRollup" DROP COLUMN "userId";

-- Key and plan events move to the organization, account events (sign-in, MFA, passwords) stay with the account.
ALTER TABLE "AuditEvent" ADD COLUMN "organizationId" TEXT;
UPDATE "AuditEvent" SET "organizationId" = 'org_' || "userId"
WHERE "userId" IS NOT NULL AND ("action" LIKE 'key.%' OR "action" = 'admin.plan_changed')
  AND EXISTS (SELECT 1 FROM "User" u WHERE u."id" = "AuditEvent"."userId");

DROP INDEX "User_clientId_key";
ALTER TABLE "User" DROP COLUMN "clientId", DROP COLUMN "plan", ADD COLUMN "lastOrganizationId" TEXT;
UPDATE "User" SET "lastOrganizationId" = 'org_' || "id";

-- CreateIndex
CREATE UNIQUE INDEX "Organization_slug_key" ON "Organization"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Organization_clientId_key" ON "Organization"("clientId");

-- CreateIndex
CREATE INDEX "Membership_userId_idx" ON "Membership"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_organizationId_userId_key" ON "Membership"("organizationId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "Invitation_tokenHash_key" ON "Invitation"("tokenHash");

-- CreateIndex
CREATE INDEX "Invitation_organizationId_createdAt_idx" ON "Invitation"("organizationId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "KeyRequest_keyId_key" ON "KeyRequest"("keyId");

-- CreateIndex
CREATE INDEX "KeyRequest_organizationId_status_createdAt_idx" ON "KeyRequest"("organizationId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "KeyRequest_requesterId_createdAt_idx" ON "KeyRequest"("requesterId", "createdAt");

-- CreateIndex
CREATE INDEX "ApiKey_organizationId_createdAt_id_idx" ON "ApiKey"("organizationId", "createdAt" DESC, "id");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_organizationId_activeName_key" ON "ApiKey"("organizationId", "activeName");

-- CreateIndex
CREATE INDEX "AuditEvent_organizationId_createdAt_id_idx" ON "AuditEvent"("organizationId", "createdAt" DESC, "id");

-- CreateIndex
CREATE INDEX "UsageEvent_organizationId_ts_idx" ON "UsageEvent"("organizationId", "ts");

-- CreateIndex
CREATE INDEX "UsageRollup_organizationId_granularity_bucket_idx" ON "UsageRollup"("organizationId", "granularity", "bucket");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Invitation" ADD CONSTRAINT "Invitation_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KeyRequest" ADD CONSTRAINT "KeyRequest_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
