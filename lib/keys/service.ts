// Key management for one account: create, list, get, update, rotate, revoke. Shared by server actions and REST handlers;
// every function takes the acting user's id and only ever touches that user's keys.
import { recordAudit } from "../audit";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import type { AllowlistEntry } from "../ip/allowlist";
import type { CreateKeyData, UpdateKeyData } from "../validations/keys";
import { invalidateCachedKey } from "./cache";
import { KeyError } from "./errors";
import { generateKey } from "./format";
import { hashKey } from "./hash";
import { publishKeyInvalidation } from "./invalidation";
import { toKeyObject, type KeyObject } from "./record";

export type ActorMeta = { ip: string | null };
export type KeyWithSecret = { key: KeyObject; secret: string };

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
    if (isUniqueViolation(err)) throw new KeyError("invalid_request", DUPLICATE_NAME, "name");
    throw err;
  }
}

async function assertNameFree(tx: Tx, userId: string, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.apiKey.findFirst({ where: { userId, activeName: name, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  if (clash) throw new KeyError("invalid_request", DUPLICATE_NAME, "name");
}

async function findOwnedKey(tx: Tx, userId: string, id: string) {
  const key = await tx.apiKey.findFirst({ where: { id, userId } });
  if (!key) throw new KeyError("not_found", "No key with this id");
  return key;
}

function assertNotRevoked(key: { revokedAt: Date | null }): void {
  if (key.revokedAt) throw new KeyError("invalid_request", "This key is revoked and can no longer be changed", "id");
}

// Allowlist entries as the JSON column stores them (plain objects, no undefined notes).
function asJson(entries: readonly AllowlistEntry[]): Prisma.InputJsonValue {
  return entries.map((e) => (e.note ? { value: e.value, note: e.note } : { value: e.value }));
}

async function afterWrite(id: string): Promise<void> {
  invalidateCachedKey(id);
  await publishKeyInvalidation(id);
}

// Creates a key and returns it with its secret, the only time the secret is ever available.
export async function createKey(userId: string, data: CreateKeyData, meta: ActorMeta): Promise<KeyWithSecret> {
  const { secret, prefix } = generateKey(data.environment);
  const key = await withNameConflict(() =>
    db.$transaction(async (tx) => {
      await assertNameFree(tx, userId, data.name);
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

function encodeCursor(key: { createdAt: Date; id: string }): string {
  return Buffer.from(`${key.createdAt.getTime()}.${key.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) throw new KeyError("invalid_request", "Unknown cursor", "cursor");
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

// One page of the account's keys, newest first, by keyset cursor (constant cost at any depth).
export async function listKeys(userId: string, opts: { cursor?: string; limit: number }): Promise<{ data: KeyObject[]; nextCursor: string | null }> {
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  const rows = await db.apiKey.findMany({
    where: {
      userId,
      // The redundant upper bound lets PostgreSQL start the index scan at the cursor instead of filtering from the top.
      ...(after ? { createdAt: { lte: after.createdAt }, OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit + 1,
  });
  const page = rows.slice(0, opts.limit);
  return { data: page.map(toKeyObject), nextCursor: rows.length > opts.limit ? encodeCursor(page[page.length - 1]) : null };
}

// Renames a key, or changes its scopes, expiry, IP allowlist or rate limit.
export async function updateKey(userId: string, id: string, data: UpdateKeyData, meta: ActorMeta): Promise<KeyObject> {
  const key = await withNameConflict(() =>
    db.$transaction(async (tx) => {
      assertNotRevoked(await findOwnedKey(tx, userId, id));
      if (data.name !== undefined) await assertNameFree(tx, userId, data.name, id);
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
  await afterWrite(id);
  return toKeyObject(key);
}

// Issues a new secret for the same key; the old one keeps working for gracePeriodSeconds (0: it stops at once).
export async function rotateKey(userId: string, id: string, gracePeriodSeconds: number, meta: ActorMeta): Promise<KeyWithSecret> {
  let secret = "";
  const key = await db.$transaction(async (tx) => {
    const current = await findOwnedKey(tx, userId, id);
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
    await recordAudit({ userId, action: "key.rotated", keyId: id, ip: meta.ip, metadata: { prefix: fresh.prefix, previousPrefix: current.prefix, gracePeriodSeconds } }, tx);
    return rotated;
  });
  await afterWrite(id);
  return { key: toKeyObject(key), secret };
}

// Revokes a key now; revoking a revoked key changes nothing and answers the same.
export async function revokeKey(userId: string, id: string, meta: ActorMeta): Promise<KeyObject> {
  const key = await db.$transaction(async (tx) => {
    const current = await findOwnedKey(tx, userId, id);
    if (current.revokedAt) return current;
    const revoked = await tx.apiKey.update({ where: { id }, data: { revokedAt: new Date(), activeName: null } });
    await recordAudit({ userId, action: "key.revoked", keyId: id, ip: meta.ip, metadata: { name: current.name, prefix: current.prefix } }, tx);
    return revoked;
  });
  await afterWrite(id);
  return toKeyObject(key);
}
