// The verification hot path: an ordered pipeline of checks (DESIGN.md's order). A malformed key or bad checksum stops
// at the first step with no database access; a known key's record comes from the in-process cache.
import { db } from "../db";
import type { Scope } from "../generated/prisma/enums";
import { loadKey } from "./cache";
import type { KeyErrorCode } from "./errors";
import { parseKey } from "./format";
import { hashKey } from "./hash";
import { ensureKeyInvalidationListener } from "./invalidation";
import { keyRecordSelect, type KeyRecord } from "./record";
import { hasScope } from "./scopes";

export type VerifyRequest = {
  secret: string | null | undefined;
  // The scope the caller needs; omitted: any valid key passes.
  scope?: Scope;
  // X-Client-ID when the caller sent one: it must be the key owner's client ID.
  clientId?: string | null;
  // The caller's address, for the IP allowlist step.
  ip?: string | null;
};

export type Verification = { ok: true; key: KeyRecord } | { ok: false; code: KeyErrorCode; key: KeyRecord | null };

type Context = { request: VerifyRequest; now: number; key: KeyRecord | null };
type Step = (ctx: Context) => KeyErrorCode | null | Promise<KeyErrorCode | null>;

function findByHash(hash: string): Promise<KeyRecord | null> {
  ensureKeyInvalidationListener();
  return db.apiKey.findFirst({ where: { OR: [{ hash }, { previousHash: hash }] }, select: keyRecordSelect });
}

const checkFormat: Step = ({ request }) => {
  if (!request.secret) return "missing_key";
  return parseKey(request.secret) ? null : "invalid_key";
};

// Finds the key by the hash of its current secret, or of its previous secret while the rotation grace lasts.
const lookup: Step = async (ctx) => {
  const hash = hashKey(ctx.request.secret!);
  const record = await loadKey(hash, () => findByHash(hash));
  if (!record) return "invalid_key";
  if (record.hash !== hash && !(record.previousExpiresAt && record.previousExpiresAt.getTime() > ctx.now)) return "invalid_key";
  ctx.key = record;
  return null;
};

const checkRevoked: Step = ({ key }) => (key!.revokedAt ? "revoked_key" : null);

const checkExpired: Step = ({ key, now }) => (key!.expiresAt && key!.expiresAt.getTime() <= now ? "expired_key" : null);

const checkOwnerActive: Step = ({ key }) => (key!.user.suspendedAt ? "account_suspended" : null);

const checkClientId: Step = ({ key, request }) => (request.clientId && request.clientId !== key!.user.clientId ? "client_id_mismatch" : null);

const checkScope: Step = ({ key, request }) => (request.scope && !hasScope(key!.scopes, request.scope) ? "insufficient_scope" : null);

// DESIGN.md's order. The governance work adds the IP allowlist step after checkOwnerActive and the rate limit last.
const PIPELINE: readonly Step[] = [checkFormat, lookup, checkRevoked, checkExpired, checkOwnerActive, checkClientId, checkScope];

// Runs every check in order and stops at the first failure; the key is set once the lookup identified it.
export async function verifyKey(request: VerifyRequest, now = Date.now()): Promise<Verification> {
  const ctx: Context = { request, now, key: null };
  for (const step of PIPELINE) {
    const failure = await step(ctx);
    if (failure) return { ok: false, code: failure, key: ctx.key };
  }
  return { ok: true, key: ctx.key! };
}
