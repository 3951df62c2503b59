// The verification hot path: an ordered pipeline of checks, the first failure naming the error. A malformed key or bad
// checksum stops at the first step with no database access; a known key's record comes from the in-process cache.
import type { Scope } from "../generated/prisma/enums";
import { compileAllowlist, type AllowlistMatcher } from "../ip/allowlist";
import { noteRateLimited } from "../events/ratelimit";
import { effectiveLimit, rateLimiter, type RateLimitResult } from "../ratelimit/limiter";
import { loadKey } from "./cache";
import { spendCredits } from "./credits";
import type { VerificationFailure, VERIFICATION_FAILURES } from "../errors";
import { parseKey } from "./format";
import { hashKey } from "./hash";
import { ensureKeyInvalidationListener } from "./invalidation";
import { findKeyRecordByHash, storedAllowlist, type KeyRecord } from "./record";
import { hasScope } from "./scopes";
import { compilePermissions, type PermissionMatcher } from "../permissions/names";

export type VerifyRequest = {
  secret: string | null | undefined;
  // The scope the caller needs; omitted: any valid key passes.
  scope?: Scope;
  // Platform permissions the caller needs, all of them (a held resource:* grants every resource:…).
  permissions?: readonly string[];
  // X-Client-ID when the caller sent one: it must be the key's organization's client ID.
  clientId?: string | null;
  // The caller's address, for the IP allowlist step.
  ip?: string | null;
  // Credits this verification spends from a key that has credits (default 1; 0 spends nothing).
  cost?: number;
};

// `ratelimit` is set once the request reached the rate-limit step (it passed every other check) and was counted;
// `credits` once it reached the credits step with a key that has credits (null: unlimited, or not reached).
// No key sent (missing_key) identifies nothing; any other refusal may come with the key it identified.
export type Verification =
  | { ok: true; key: KeyRecord; ratelimit: RateLimitResult; credits: CreditsOutcome | null }
  | { ok: false; code: "missing_key"; key: null; ratelimit: null; credits: null }
  | {
      ok: false;
      code: (typeof VERIFICATION_FAILURES)[number];
      key: KeyRecord | null;
      ratelimit: RateLimitResult | null;
      credits: CreditsOutcome | null;
    };

// What the credits step did: `spent` credits taken (0 when refused), `remaining` what is left.
export type CreditsOutcome = { spent: number; remaining: number };

type Context = {
  request: VerifyRequest;
  now: number;
  key: KeyRecord | null;
  ratelimit: RateLimitResult | null;
  credits: CreditsOutcome | null;
};
type Step = (ctx: Context) => VerificationFailure | null | Promise<VerificationFailure | null>;

function findByHash(hash: string): Promise<KeyRecord | null> {
  ensureKeyInvalidationListener();
  return findKeyRecordByHash(hash);
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
  if (record.hash !== hash && !(record.previousExpiresAt && record.previousExpiresAt.getTime() > ctx.now))
    return "invalid_key";
  ctx.key = record;
  return null;
};

const checkRevoked: Step = ({ key }) => (key!.revokedAt ? "revoked_key" : null);

const checkExpired: Step = ({ key, now }) => (key!.expiresAt && key!.expiresAt.getTime() <= now ? "expired_key" : null);

const checkOwnerActive: Step = ({ key }) => (key!.organization.suspendedAt ? "account_suspended" : null);

// Compiled once per cached record: the cache hands out the same record object until it is refreshed or invalidated,
// so a request only compares bytes and an edited list is recompiled with the record that carries it.
const matchers = new WeakMap<KeyRecord, AllowlistMatcher>();

function allowlistOf(key: KeyRecord): AllowlistMatcher {
  let matcher = matchers.get(key);
  if (!matcher) matchers.set(key, (matcher = compileAllowlist(storedAllowlist(key.ipAllowlist))));
  return matcher;
}

// An empty list allows any address; otherwise the caller's address must be known and inside one of the ranges.
const checkIpAllowlist: Step = ({ key, request }) => (allowlistOf(key!).allows(request.ip) ? null : "ip_not_allowed");

const checkClientId: Step = ({ key, request }) =>
  request.clientId && request.clientId !== key!.organization.clientId ? "client_id_mismatch" : null;

const checkScope: Step = ({ key, request }) =>
  request.scope && !hasScope(key!.scopes, request.scope) ? "insufficient_scope" : null;

// Compiled once per cached record, like the allowlist: a request only looks names up in a Set.
const permissionMatchers = new WeakMap<KeyRecord, PermissionMatcher>();

function permissionsOf(key: KeyRecord): PermissionMatcher {
  let matcher = permissionMatchers.get(key);
  if (!matcher) permissionMatchers.set(key, (matcher = compilePermissions(key.permissions)));
  return matcher;
}

const checkPermissions: Step = ({ key, request }) =>
  request.permissions?.length && !permissionsOf(key!)(request.permissions) ? "insufficient_permissions" : null;

// Last, so only requests that passed every other check count against the key's limit (its own, else its organization's plan's).
const checkRateLimit: Step = async (ctx) => {
  const key = ctx.key!;
  const limit = effectiveLimit(key.organization.plan, key.rateLimit);
  ctx.ratelimit = await rateLimiter().consume(key.id, limit);
  if (ctx.ratelimit.allowed) return null;
  noteRateLimited(key, limit, ctx.now);
  return "rate_limited";
};

// Last: credits are spent only by a request that passed every other check, in one atomic statement against the row (the
// cached record only says whether the key has credits; a key without credits costs no query).
const checkCredits: Step = async (ctx) => {
  const key = ctx.key!;
  if (key.creditsRemaining === null) return null;
  const result = await spendCredits(key.id, ctx.request.cost ?? 1, ctx.now);
  if (result.remaining === null) return null;
  ctx.credits = { spent: result.ok ? result.spent : 0, remaining: result.remaining };
  return result.ok ? null : "usage_exceeded";
};

// Cheap checks first: format and checksum need no database; the rate limit is counted only for a key that passed the rest.
const PIPELINE: readonly Step[] = [
  checkFormat,
  lookup,
  checkRevoked,
  checkExpired,
  checkOwnerActive,
  checkIpAllowlist,
  checkClientId,
  checkScope,
  checkPermissions,
  checkRateLimit,
  checkCredits,
];

// Runs every check in order and stops at the first failure; the key is set once the lookup identified it.
export async function verifyKey(request: VerifyRequest, now = Date.now()): Promise<Verification> {
  const ctx: Context = { request, now, key: null, ratelimit: null, credits: null };
  for (const step of PIPELINE) {
    // Most steps answer at once: awaiting only real promises spares a microtask per step on every request.
    const result = step(ctx);
    const failure = result instanceof Promise ? await result : result;
    if (failure === "missing_key") return { ok: false, code: failure, key: null, ratelimit: null, credits: null };
    if (failure) return { ok: false, code: failure, key: ctx.key, ratelimit: ctx.ratelimit, credits: ctx.credits };
  }
  return { ok: true, key: ctx.key!, ratelimit: ctx.ratelimit!, credits: ctx.credits };
}
