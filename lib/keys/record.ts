// The key record the verifier works on (one query loads it with its owner) and the public key object of DESIGN.md.
import type { Prisma } from "../generated/prisma/client";

export const keyRecordSelect = {
  id: true,
  userId: true,
  name: true,
  prefix: true,
  hash: true,
  environment: true,
  scopes: true,
  expiresAt: true,
  ipAllowlist: true,
  rateLimit: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  previousHash: true,
  previousExpiresAt: true,
  user: { select: { id: true, clientId: true, suspendedAt: true } },
} satisfies Prisma.ApiKeySelect;

export type KeyRecord = Prisma.ApiKeyGetPayload<{ select: typeof keyRecordSelect }>;

type KeyObjectSource = Pick<
  KeyRecord,
  "id" | "name" | "prefix" | "environment" | "scopes" | "expiresAt" | "ipAllowlist" | "rateLimit" | "createdAt" | "lastUsedAt" | "revokedAt"
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
    expiresAt: key.expiresAt?.toISOString() ?? null,
    ipAllowlist: Array.isArray(key.ipAllowlist) ? (key.ipAllowlist as string[]) : [],
    rateLimit: key.rateLimit,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
