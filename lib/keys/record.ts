// The key record the verifier works on (one query loads it with its owner) and the public key object the API returns.
import { getDb, queryOnDriver } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { CreditInterval, KeyEnvironment, Plan, Scope } from "../generated/prisma/enums";
import type { AllowlistEntry } from "../ip/allowlist";
import type { CreditsState } from "./credit-refill";
import { toCreditsObject } from "./credits";

export const keyRecordSelect = {
  id: true,
  organizationId: true,
  createdById: true,
  name: true,
  prefix: true,
  hash: true,
  environment: true,
  scopes: true,
  permissions: true,
  expiresAt: true,
  ipAllowlist: true,
  rateLimit: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  previousHash: true,
  previousExpiresAt: true,
  // Credits: whether the key has any (creditsRemaining not null) decides whether a verification spends; the count itself
  // is never taken from a cached record (lib/keys/credits.ts spends against the row).
  creditsRemaining: true,
  creditsRefillAmount: true,
  creditsRefillInterval: true,
  creditsRefilledAt: true,
  // The organization's plan sets the key's default rate limit; a plan change reaches the verifier with the next cache
  // refresh (≤ 5 s) or at once through invalidation.
  organization: { select: { id: true, slug: true, name: true, clientId: true, suspendedAt: true, plan: true } },
} satisfies Prisma.ApiKeySelect;

export type KeyRecord = Prisma.ApiKeyGetPayload<{ select: typeof keyRecordSelect }>;

// keyRecordSelect in SQL, for the verifier's lookup by hash (the current or the previous secret's). Prisma spent about
// 1.3 ms of CPU on each such lookup (most of it building the query) against 0.2 ms for this statement, and every cached
// key is looked up again every KEY_CACHE_TTL_MS: with 200 busy keys that was 40 lookups a second, each holding the
// event loop. Timestamps are read as UTC (Prisma's DateTime columns are timestamp without time zone, in UTC);
// enum arrays as text[] so the driver parses them. tests/integration/key-record-lookup.test.ts compares the two.
const KEY_RECORD_BY_HASH = `
  SELECT k.id, k."organizationId", k."createdById", k.name, k.prefix, k.hash, k.environment::text AS environment,
    k.scopes::text[] AS scopes, k.permissions, k."expiresAt" AT TIME ZONE 'UTC' AS "expiresAt", k."ipAllowlist",
    k."rateLimit", k."createdAt" AT TIME ZONE 'UTC' AS "createdAt", k."lastUsedAt" AT TIME ZONE 'UTC' AS "lastUsedAt",
    k."revokedAt" AT TIME ZONE 'UTC' AS "revokedAt", k."previousHash",
    k."previousExpiresAt" AT TIME ZONE 'UTC' AS "previousExpiresAt", k."creditsRemaining", k."creditsRefillAmount",
    k."creditsRefillInterval"::text AS "creditsRefillInterval",
    k."creditsRefilledAt" AT TIME ZONE 'UTC' AS "creditsRefilledAt",
    o.slug AS "orgSlug", o.name AS "orgName", o."clientId" AS "orgClientId",
    o."suspendedAt" AT TIME ZONE 'UTC' AS "orgSuspendedAt", o.plan::text AS "orgPlan"
  FROM "ApiKey" k JOIN "Organization" o ON o.id = k."organizationId"
  WHERE k.hash = $1 OR k."previousHash" = $1
  LIMIT 1`;

type KeyRecordRow = Omit<KeyRecord, "organization" | "environment" | "scopes" | "creditsRefillInterval"> & {
  environment: string;
  scopes: string[];
  creditsRefillInterval: string | null;
  orgSlug: string;
  orgName: string;
  orgClientId: string;
  orgSuspendedAt: Date | null;
  orgPlan: string;
};

// The key whose current or previous secret hashes to `hash`, with its organization (null when none does).
export async function findKeyRecordByHash(hash: string): Promise<KeyRecord | null> {
  const [row] = await queryOnDriver<KeyRecordRow>(getDb(), KEY_RECORD_BY_HASH, [hash]);
  if (!row) return null;
  const { orgSlug, orgName, orgClientId, orgSuspendedAt, orgPlan, ...key } = row;
  return {
    ...key,
    environment: key.environment as KeyEnvironment,
    scopes: key.scopes as Scope[],
    creditsRefillInterval: key.creditsRefillInterval as CreditInterval | null,
    organization: {
      id: key.organizationId,
      slug: orgSlug,
      name: orgName,
      clientId: orgClientId,
      suspendedAt: orgSuspendedAt,
      plan: orgPlan as Plan,
    },
  };
}

// The allowlist column as stored: normalised entries written through ipAllowlistSchema (an empty list allows any address).
export function storedAllowlist(value: Prisma.JsonValue): AllowlistEntry[] {
  return Array.isArray(value) ? (value as unknown as AllowlistEntry[]) : [];
}

type KeyObjectSource = Pick<
  KeyRecord,
  | "id"
  | "name"
  | "prefix"
  | "environment"
  | "scopes"
  | "permissions"
  | "expiresAt"
  | "ipAllowlist"
  | "rateLimit"
  | "createdAt"
  | "lastUsedAt"
  | "revokedAt"
  | "createdById"
  | keyof CreditsState
>;

export type KeyObject = ReturnType<typeof toKeyObject>;

// The key as the API shows it: never the hash or the secret.
export function toKeyObject(key: KeyObjectSource) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    environment: key.environment,
    scopes: key.scopes,
    permissions: [...key.permissions].sort(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    ipAllowlist: storedAllowlist(key.ipAllowlist),
    rateLimit: key.rateLimit,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdBy: key.createdById,
    credits: toCreditsObject(key),
  };
}
