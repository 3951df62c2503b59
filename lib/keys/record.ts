// The key record the verifier works on (one query loads it with its owner) and the public key object the API returns.
import type { Prisma } from "../generated/prisma/client";
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
