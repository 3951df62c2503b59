// Single-key management inside one organization: create, get, update, rotate, revoke. Shared by server actions and REST
// handlers; every function takes the actor (organization, member and role) and only ever touches that organization's
// keys, within its role (lib/orgs/roles) and policies (lib/orgs/policies). Listing is in ./list, the instance
// administrators' variants in lib/admin/keys.
import { db } from "../db";
import type { ApiKey, Prisma } from "../generated/prisma/client";
import type { AllowlistEntry } from "../ip/allowlist";
import type { CreateKeyData, UpdateKeyData } from "../validations/keys";
import { PLAN_LIMITS } from "../ratelimit/limiter";
import { ApiError } from "../errors";
import { assertKnownPermissions } from "../permissions/catalogue";
import { grants, normalisePermissions } from "../permissions/names";
import { authorizeInTx, refusal, type Actor } from "../orgs/actor";
import { assertKeyCompliant, needsApproval, policiesOf, type KeyShape } from "../orgs/policies";
import { can } from "../orgs/roles";
import { scopeRank } from "./scopes";
import { invalidateCredits } from "./credit-ledger";
import { creditColumns } from "./credits";
import { generateKey } from "./format";
import { hashKey } from "./hash";
import { invalidateKeyEverywhere } from "./invalidation";
import { storedAllowlist, toKeyObject, type KeyObject } from "./record";
import { recordChange } from "../record-change";

export type ActorMeta = { ip: string | null };

// Who acts on keys: the Actor of the entry point (a member in a session, or an API key acting as its creator); every
// function below asks the capability table again inside its transaction, with the actor's role as it is then.
export type KeyActor = Actor;
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
// approved: the key comes from a key request an administrator approved, so the approval policy is met (every other
// policy still applies).
export type KeyWriteOptions = { authorize?: KeyGuard; approved?: boolean };

type Tx = Prisma.TransactionClient;

const DUPLICATE_NAME = "An active key with this name already exists";

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

// A unique violation can only be the active-name index here (hashes are 190-bit random), so it becomes a name error.
export async function withNameConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiError("invalid_request", DUPLICATE_NAME, "name");
    throw err;
  }
}

// Refuses a name an active key of the organization already has (a key request checks it when submitted, too).
export async function assertNameFree(tx: Tx, organizationId: string, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.apiKey.findFirst({
    where: { organizationId, activeName: name, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw new ApiError("invalid_request", DUPLICATE_NAME, "name");
}

type OrgRow = Awaited<ReturnType<typeof loadOrganization>>;

function loadOrganization(tx: Tx, organizationId: string) {
  return tx.organization.findUniqueOrThrow({ where: { id: organizationId } });
}

// A key's own limit may lower its plan's rate limit, never raise it (the plan is what the organization pays for).
export function assertWithinPlan(org: Pick<OrgRow, "plan">, rateLimit: number | null | undefined): void {
  if (rateLimit === null || rateLimit === undefined) return;
  const { plan } = org;
  if (rateLimit > PLAN_LIMITS[plan]) {
    throw new ApiError(
      "invalid_request",
      `Your ${plan.toLowerCase()} plan allows at most ${PLAN_LIMITS[plan]} requests per minute per key`,
      "rateLimit",
    );
  }
}

async function findOrgKey(tx: Tx, organizationId: string, id: string) {
  const key = await tx.apiKey.findFirst({ where: { id, organizationId } });
  if (!key) throw new ApiError("not_found", "No key with this id");
  return key;
}

const APPROVAL_REQUIRED = "approval_required";

// Creating a key: developers and up; a developer whose key needs approval is sent to key requests (unless approved).
async function assertMayCreate(tx: Tx, actor: KeyActor, org: OrgRow, shape: KeyShape, approved: boolean) {
  const now = await authorizeInTx(tx, actor, "keys.create");
  if (!approved && needsApproval(policiesOf(org), now.role!, shape))
    throw new ApiError(
      "forbidden",
      "This key needs an administrator's approval: submit a key request instead",
      undefined,
      APPROVAL_REQUIRED,
    );
  return now;
}

// Whether `after` lets a key do anything `before` did not: a higher scope, a permission not covered before, a later or
// no expiry, or an IP allowlist lifted or given an address it did not list. Narrowing a key never needs approval.
export function widens(before: KeyShape, after: KeyShape): boolean {
  if (scopeRank(after.scopes) > scopeRank(before.scopes)) return true;
  if ((after.permissions ?? []).some((p) => !grants(before.permissions ?? [], p))) return true;
  if (before.expiresAt && (!after.expiresAt || after.expiresAt > before.expiresAt)) return true;
  if (before.ipAllowlist.length === 0) return false;
  const values = (list: readonly unknown[]) => list.map((e) => (e as AllowlistEntry).value);
  const listed = new Set(values(before.ipAllowlist));
  return after.ipAllowlist.length === 0 || values(after.ipAllowlist).some((v) => !listed.has(v));
}

// Whether an edit raises what the key may spend: credits added, given a more generous refill or removed (unlimited), or
// a rate limit raised or lifted to the plan's. Those are an admin's changes (the capability keys.limits).
export function raisesLimits(current: ApiKey, data: UpdateKeyData): boolean {
  if (data.rateLimit !== undefined && current.rateLimit !== null) {
    if (data.rateLimit === null || data.rateLimit > current.rateLimit) return true;
  }
  if (data.credits === undefined || current.creditsRemaining === null) return false;
  if (data.credits === null) return true;
  if (data.credits.remaining > current.creditsRemaining) return true;
  const refill = data.credits.refill;
  if (!refill) return false;
  if (current.creditsRefillAmount === null || current.creditsRefillInterval === null) return true;
  return (
    refill.amount > current.creditsRefillAmount ||
    (refill.interval === "day" && current.creditsRefillInterval === "month")
  );
}

// The policy-relevant settings of a key after `data` is applied to it.
function shapeAfter(key: ApiKey, data: UpdateKeyData): KeyShape {
  return {
    scopes: data.scopes ?? key.scopes,
    expiresAt: data.expiresAt !== undefined ? data.expiresAt : key.expiresAt,
    ipAllowlist: data.ipAllowlist ?? storedAllowlist(key.ipAllowlist),
    permissions: data.permissions ?? key.permissions,
  };
}

// The shape of a stored key.
function shapeOf(key: ApiKey): KeyShape {
  return {
    scopes: key.scopes,
    expiresAt: key.expiresAt,
    ipAllowlist: storedAllowlist(key.ipAllowlist),
    permissions: key.permissions,
  };
}

function assertNotRevoked(key: { revokedAt: Date | null }): void {
  if (key.revokedAt) throw new ApiError("invalid_request", "This key is revoked and can no longer be changed", "id");
}

// Allowlist entries as the JSON column stores them (plain objects, no undefined notes).
export function asJson(entries: readonly AllowlistEntry[]): Prisma.InputJsonValue {
  return entries.map((e) => (e.note ? { value: e.value, note: e.note } : { value: e.value }));
}

// Creates a key and returns it with its secret, the only time the secret is ever available.
export async function createKey(
  actor: KeyActor,
  data: CreateKeyData,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<KeyWithSecret> {
  const { key, secret } = await withNameConflict(() => db.$transaction((tx) => insertKey(tx, actor, data, meta, opts)));
  return { key: toKeyObject(key), secret };
}

// Every check createKey makes before it writes (role, approval policy, the caller's guard, policies, name, plan,
// permissions), without writing: also for a write deferred until later (the CLI's browser sign-in approves now and
// creates the key when the CLI collects it). Answers the organization and the actor as reloaded in the transaction.
export async function checkNewKey(tx: Tx, actor: KeyActor, data: CreateKeyData, opts: KeyWriteOptions = {}) {
  const org = await loadOrganization(tx, actor.organizationId);
  const permissions = normalisePermissions(data.permissions ?? []);
  const shape: KeyShape = {
    scopes: data.scopes,
    expiresAt: data.expiresAt,
    ipAllowlist: data.ipAllowlist,
    permissions,
  };
  const now = await assertMayCreate(tx, actor, org, shape, opts.approved ?? false);
  opts.authorize?.(null, { action: "create", data });
  assertKeyCompliant(policiesOf(org), shape);
  await assertNameFree(tx, org.id, data.name);
  assertWithinPlan(org, data.rateLimit);
  await assertKnownPermissions(tx, permissions);
  return { org, now, permissions };
}

// createKey's checks, write and audit inside the caller's transaction (a key request's reveal claims the request in
// the same one). The caller maps a unique violation of the name (withNameConflict).
export async function insertKey(
  tx: Tx,
  actor: KeyActor,
  data: CreateKeyData,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<{ key: ApiKey; secret: string }> {
  const { org, now, permissions } = await checkNewKey(tx, actor, data, opts);
  const { secret, prefix } = generateKey(data.environment);
  const created = await tx.apiKey.create({
    data: {
      organizationId: org.id,
      createdById: now.userId,
      name: data.name,
      activeName: data.name,
      prefix,
      hash: hashKey(secret),
      environment: data.environment,
      scopes: data.scopes,
      permissions,
      expiresAt: data.expiresAt,
      ipAllowlist: asJson(data.ipAllowlist),
      rateLimit: data.rateLimit,
      ...creditColumns(data.credits ?? null),
    },
  });
  await recordChange(tx, {
    audit: {
      organizationId: org.id,
      userId: now.userId,
      actor: now,
      action: "key.created",
      keyId: created.id,
      ip: meta.ip,
      metadata: {
        name: data.name,
        prefix,
        environment: data.environment,
        scopes: data.scopes,
        permissions,
        expiresAt: data.expiresAt?.toISOString() ?? null,
        ipAllowlist: data.ipAllowlist.map((e) => e.value),
        rateLimit: data.rateLimit,
        credits: data.credits ?? null,
      },
    },
    event: { type: "key.created", data: { key: toKeyObject(created) } },
  });
  return { key: created, secret };
}

// One key of the organization; another organization's key is not found.
export async function getKey(organizationId: string, id: string): Promise<KeyObject> {
  return toKeyObject(await findOrgKey(db, organizationId, id));
}

// Renames a key, or changes its scopes, permissions, expiry, IP allowlist, rate limit or credits (credits set remaining
// and the refill rule outright; null makes the key unlimited).
export async function updateKey(
  actor: KeyActor,
  id: string,
  data: UpdateKeyData,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<KeyObject> {
  // Credits set outright: the embedded database's in-memory count is written first and reloaded after.
  if (data.credits !== undefined) await invalidateCredits(id);
  const key = await withNameConflict(() =>
    db.$transaction(async (tx) => {
      const current = await findOrgKey(tx, actor.organizationId, id);
      const now = await authorizeInTx(tx, actor, "keys.manage", current);
      opts.authorize?.(current, { action: "update", data });
      assertNotRevoked(current);
      const org = await loadOrganization(tx, actor.organizationId);
      if (raisesLimits(current, data) && !can(now, "keys.limits")) throw refusal(now, "keys.limits");
      // Only a change to what the policies look at is checked: a key a later policy made non-compliant can be renamed.
      // An edit that widens the key is checked as its creation would be, under today's policies.
      if (
        data.scopes !== undefined ||
        data.permissions !== undefined ||
        data.expiresAt !== undefined ||
        data.ipAllowlist !== undefined
      ) {
        const shape = shapeAfter(current, data);
        if (widens(shapeOf(current), shape) && needsApproval(policiesOf(org), now.role!, shape))
          throw new ApiError(
            "forbidden",
            "This change needs an administrator's approval: submit a key request instead",
            "scopes",
            APPROVAL_REQUIRED,
          );
        assertKeyCompliant(policiesOf(org), shape);
      }
      if (data.name !== undefined) await assertNameFree(tx, actor.organizationId, data.name, id);
      assertWithinPlan(org, data.rateLimit);
      const permissions = data.permissions && normalisePermissions(data.permissions);
      if (permissions) await assertKnownPermissions(tx, permissions);
      const updated = await tx.apiKey.update({
        where: { id },
        data: {
          ...(data.name !== undefined ? { name: data.name, activeName: data.name } : {}),
          ...(data.scopes !== undefined ? { scopes: data.scopes } : {}),
          ...(permissions ? { permissions } : {}),
          ...(data.expiresAt !== undefined ? { expiresAt: data.expiresAt } : {}),
          ...(data.ipAllowlist !== undefined ? { ipAllowlist: asJson(data.ipAllowlist) } : {}),
          ...(data.rateLimit !== undefined ? { rateLimit: data.rateLimit } : {}),
          ...(data.credits !== undefined ? creditColumns(data.credits) : {}),
        },
      });
      const changes = {
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.scopes !== undefined ? { scopes: data.scopes } : {}),
        ...(permissions ? { permissions } : {}),
        ...(data.expiresAt !== undefined ? { expiresAt: data.expiresAt?.toISOString() ?? null } : {}),
        ...(data.ipAllowlist !== undefined ? { ipAllowlist: data.ipAllowlist.map((e) => e.value) } : {}),
        ...(data.rateLimit !== undefined ? { rateLimit: data.rateLimit } : {}),
        ...(data.credits !== undefined ? { credits: data.credits } : {}),
      };
      await recordChange(tx, {
        audit: {
          organizationId: actor.organizationId,
          userId: now.userId,
          actor: now,
          action: "key.updated",
          keyId: id,
          ip: meta.ip,
          metadata: changes,
        },
        event: {
          type: "key.updated",
          data: { key: toKeyObject(updated), changes },
        },
      });
      return updated;
    }),
  );
  if (data.credits !== undefined) await invalidateCredits(id);
  await invalidateKeyEverywhere(id);
  return toKeyObject(key);
}

// Issues a new secret for the same key; the old one keeps working for gracePeriodSeconds (0: it stops at once).
export async function rotateKey(
  actor: KeyActor,
  id: string,
  gracePeriodSeconds: number,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<KeyWithSecret> {
  let secret = "";
  const key = await db.$transaction(async (tx) => {
    const current = await findOrgKey(tx, actor.organizationId, id);
    const now = await authorizeInTx(tx, actor, "keys.manage", current);
    opts.authorize?.(current, { action: "rotate" });
    assertNotRevoked(current);
    // A rotation hands out a new secret: the key must meet today's policies first (the lifetime counts from its creation).
    const org = await loadOrganization(tx, actor.organizationId);
    assertKeyCompliant(policiesOf(org), shapeOf(current), current.createdAt);
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
    await recordChange(tx, {
      audit: {
        organizationId: actor.organizationId,
        userId: now.userId,
        actor: now,
        action: "key.rotated",
        keyId: id,
        ip: meta.ip,
        metadata: { prefix: fresh.prefix, previousPrefix: current.prefix, gracePeriodSeconds },
      },
      event: {
        type: "key.rotated",
        data: {
          key: toKeyObject(rotated),
          previousPrefix: current.prefix,
          previousExpiresAt: rotated.previousExpiresAt?.toISOString() ?? null,
        },
      },
    });
    return rotated;
  });
  await invalidateKeyEverywhere(id);
  return { key: toKeyObject(key), secret };
}

// The revoke write, audit and cache invalidation of the key `find` loads, for a member and an instance administrator alike.
export async function revokeFoundKey(
  find: (tx: Tx) => Promise<{ key: ApiKey; actor: Actor | string | null }>,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<KeyObject> {
  const key = await db.$transaction(async (tx) => {
    const found = await find(tx);
    opts.authorize?.(found.key, { action: "revoke" });
    return revokeInTransaction(tx, found.key, found.actor, meta);
  });
  await invalidateKeyEverywhere(key.id);
  return toKeyObject(key);
}

// The revoke write and its audit inside the caller's transaction (a leak report revokes in the one that records it);
// an already revoked key is returned unchanged. The caller invalidates caches once committed (invalidateKeyEverywhere).
export async function revokeInTransaction(
  tx: Tx,
  current: ApiKey,
  by: Actor | string | null,
  meta: ActorMeta,
): Promise<ApiKey> {
  const actorId = typeof by === "object" && by !== null ? by.userId : by;
  if (current.revokedAt) return current;
  const revoked = await tx.apiKey.update({
    where: { id: current.id },
    data: { revokedAt: new Date(), activeName: null },
  });
  await recordChange(tx, {
    audit: {
      organizationId: current.organizationId,
      userId: actorId,
      actorId,
      ...(typeof by === "object" && by !== null ? { actor: by } : {}),
      action: "key.revoked",
      keyId: current.id,
      ip: meta.ip,
      metadata: { name: current.name, prefix: current.prefix },
    },
    event: {
      type: "key.revoked",
      data: { key: toKeyObject(revoked) },
    },
  });
  return revoked;
}

// Revokes a key now; revoking a revoked key changes nothing and answers the same.
export async function revokeKey(
  actor: KeyActor,
  id: string,
  meta: ActorMeta,
  opts: KeyWriteOptions = {},
): Promise<KeyObject> {
  return revokeFoundKey(
    async (tx) => {
      const key = await findOrgKey(tx, actor.organizationId, id);
      return { key, actor: await authorizeInTx(tx, actor, "keys.manage", key) };
    },
    meta,
    opts,
  );
}
