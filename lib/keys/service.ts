// Single-key management for one account: create, get, update, rotate, revoke. Shared by server actions and REST
// handlers; every function takes the acting user's id and only ever touches that user's keys (listing is in ./list,
// administrators' variants in lib/admin/keys).
import { recordAudit } from "../audit";
import { db } from "../db";
import type { ApiKey, Prisma } from "../generated/prisma/client";
import type { AllowlistEntry } from "../ip/allowlist";
import type { CreateKeyData, UpdateKeyData } from "../validations/keys";
import { PLAN_LIMITS } from "../ratelimit/limiter";
import { ApiError } from "../api/errors";
import { generateKey } from "./format";
import { hashKey } from "./hash";
import { invalidateKeyEverywhere } from "./invalidation";
import { toKeyObject, type KeyObject } from "./record";

export type ActorMeta = { ip: string | null };
export type KeyWithSecret = { key: KeyObject; secret: string };

export type KeyChange =
  | { action: "create"; data: CreateKeyData }
  | { action: "update"; data: UpdateKeyData }
  | { action: "rotate" }
  | { action: "revoke" };

// Called inside the write's transaction with the key as just loaded (null when creating), so a policy decides on the
// row that is written without reading it twice; it throws to refuse. Dashboard actions pass the step-up policy, REST
// handlers none.
export type KeyGuard = (existing: ApiKey | null, change: KeyChange) => void;
export type KeyWriteOptions = { authorize?: KeyGuard };

type Tx = Prisma.TransactionClient;

const DUPLICATE_NAME = "An active key with this name already exists";

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

// A unique violation can only be the active-name index here (hashes are 190-bit random), so it becomes a name error.
async function withNameConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("invalid_request", DUPLICATE_NAME, "name");
    throw err;
  }
}

async function assertNameFree(tx: Tx, userId: string, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.apiKey.findFirst({
    where: { userId, activeName: name, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw new ApiError("invalid_request", DUPLICATE_NAME, "name");
}

// A key's own limit may lower its plan's rate limit, never raise it (the plan is what the account pays for).
async function assertWithinPlan(tx: Tx, userId: string, rateLimit: number | null | undefined): Promise<void> {
  if (rateLimit === null || rateLimit === undefined) return;
  const { plan } = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { plan: true } });
  if (rateLimit > PLAN_LIMITS[plan]) {
    throw new ApiError(
      "invalid_request",
      `Your ${plan.toLowerCase()} plan allows at most ${PLAN_LIMITS[plan]} requests per minute per key`,
      "rateLimit",
    );
  }
}

async function findOwnedKey(tx: Tx, userId: string, id: string) {
  const key = await tx.apiKey.findFirst({ where: { id, userId } });
  if (!key) throw new ApiError("not_found", "No key with this id");
  return key;
}

function assertNotRevoked(key: { revokedAt: Date | null }): void {
  if (key.revokedAt) throw new ApiError("invalid_request", "This key is revoked and can no longer be changed", "id");
}

// Allowlist entries as the JSON column stores them (plain objects, no undefined notes).
function asJson(entries: readonly AllowlistEntry[]): Prisma.InputJsonValue {
  return entries.map((e) => (e.note ? { value: e.value, note: e.note } : { value: e.value }));
}

// Creates a key and returns it with its secret, the only time the secret is ever available.
export async function createKey(
  userId: string,
  data: CreateKeyData,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<KeyWithSecret> {
  const { secret, prefix } = generateKey(data.environment);
  const key = await withNameConflict(() =>
    db.$transaction(async (tx) => {
      opts.authorize?.(null, { action: "create", data });
      await assertNameFree(tx, userId, data.name);
      await assertWithinPlan(tx, userId, data.rateLimit);
      const created = await tx.apiKey.create({
        data: {
          userId,
          name: data.name,
          activeName: data.name,
          prefix,
          hash: hashKey(secret),
          environment: data.environment,
          scopes: data.scopes,
          expiresAt: data.expiresAt,
          ipAllowlist: asJson(data.ipAllowlist),
          rateLimit: data.rateLimit,
        },
      });
      await recordAudit(
        {
          userId,
          action: "key.created",
          keyId: created.id,
          ip: meta.ip,
          metadata: {
            name: data.name,
            prefix,
            environment: data.environment,
            scopes: data.scopes,
            expiresAt: data.expiresAt?.toISOString() ?? null,
            ipAllowlist: data.ipAllowlist.map((e) => e.value),
            rateLimit: data.rateLimit,
          },
        },
        tx,
      );
      return created;
    }),
  );
  return { key: toKeyObject(key), secret };
}

// One key of the account; another account's key is not found.
export async function getKey(userId: string, id: string): Promise<KeyObject> {
  return toKeyObject(await findOwnedKey(db, userId, id));
}

// Renames a key, or changes its scopes, expiry, IP allowlist or rate limit.
export async function updateKey(
  userId: string,
  id: string,
  data: UpdateKeyData,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<KeyObject> {
  const key = await withNameConflict(() =>
    db.$transaction(async (tx) => {
      const current = await findOwnedKey(tx, userId, id);
      opts.authorize?.(current, { action: "update", data });
      assertNotRevoked(current);
      if (data.name !== undefined) await assertNameFree(tx, userId, data.name, id);
      await assertWithinPlan(tx, userId, data.rateLimit);
      const updated = await tx.apiKey.update({
        where: { id },
        data: {
          ...(data.name !== undefined ? { name: data.name, activeName: data.name } : {}),
          ...(data.scopes !== undefined ? { scopes: data.scopes } : {}),
          ...(data.expiresAt !== undefined ? { expiresAt: data.expiresAt } : {}),
          ...(data.ipAllowlist !== undefined ? { ipAllowlist: asJson(data.ipAllowlist) } : {}),
          ...(data.rateLimit !== undefined ? { rateLimit: data.rateLimit } : {}),
        },
      });
      const changes = {
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.scopes !== undefined ? { scopes: data.scopes } : {}),
        ...(data.expiresAt !== undefined ? { expiresAt: data.expiresAt?.toISOString() ?? null } : {}),
        ...(data.ipAllowlist !== undefined ? { ipAllowlist: data.ipAllowlist.map((e) => e.value) } : {}),
        ...(data.rateLimit !== undefined ? { rateLimit: data.rateLimit } : {}),
      };
      await recordAudit({ userId, action: "key.updated", keyId: id, ip: meta.ip, metadata: changes }, tx);
      return updated;
    }),
  );
  await invalidateKeyEverywhere(id);
  return toKeyObject(key);
}

// Issues a new secret for the same key; the old one keeps working for gracePeriodSeconds (0: it stops at once).
export async function rotateKey(
  userId: string,
  id: string,
  gracePeriodSeconds: number,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<KeyWithSecret> {
  let secret = "";
  const key = await db.$transaction(async (tx) => {
    const current = await findOwnedKey(tx, userId, id);
    opts.authorize?.(current, { action: "rotate" });
    assertNotRevoked(current);
    const fresh = generateKey(current.environment);
    secret = fresh.secret;
    const rotated = await tx.apiKey.update({
      where: { id },
      data: {
        hash: hashKey(fresh.secret),
        prefix: fresh.prefix,
        previousHash: gracePeriodSeconds > 0 ? current.hash : null,
        previousExpiresAt: gracePeriodSeconds > 0 ? new Date(Date.now() + gracePeriodSeconds * 1000) : null,
      },
    });
    await recordAudit(
      {
        userId,
        action: "key.rotated",
        keyId: id,
        ip: meta.ip,
        metadata: { prefix: fresh.prefix, previousPrefix: current.prefix, gracePeriodSeconds },
      },
      tx,
    );
    return rotated;
  });
  await invalidateKeyEverywhere(id);
  return { key: toKeyObject(key), secret };
}

// The revoke write, audit and cache invalidation of the key `find` loads, for the owner and for an administrator alike.
export async function revokeFoundKey(
  find: (tx: Tx) => Promise<ApiKey>,
  actorId: string,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<KeyObject> {
  const key = await db.$transaction(async (tx) => {
    const current = await find(tx);
    opts.authorize?.(current, { action: "revoke" });
    if (current.revokedAt) return current;
    const revoked = await tx.apiKey.update({
      where: { id: current.id },
      data: { revokedAt: new Date(), activeName: null },
    });
    await recordAudit(
      {
        userId: current.userId,
        actorId,
        action: "key.revoked",
        keyId: current.id,
        ip: meta.ip,
        metadata: { name: current.name, prefix: current.prefix },
      },
      tx,
    );
    return revoked;
  });
  await invalidateKeyEverywhere(key.id);
  return toKeyObject(key);
}

// Revokes a key now; revoking a revoked key changes nothing and answers the same.
export async function revokeKey(
  userId: string,
  id: string,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<KeyObject> {
  return revokeFoundKey((tx) => findOwnedKey(tx, userId, id), userId, meta, opts);
}
