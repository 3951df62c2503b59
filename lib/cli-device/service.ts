// The CLI's browser sign-in (device authorization grant, RFC 8628): `keyhold login` starts one and polls; a signed-in
// member approves it on /cli/authorize for an organization and scopes (after step-up), or denies it. The approval only
// records who approved what: the key is created when the CLI collects it, by the keys service as the approving member,
// so its secret is never stored anywhere. Both codes are kept as SHA-256 hashes; a code lasts 10 minutes and works once.
import { randomBytes } from "node:crypto";
import { ApiError } from "../errors";
import { db } from "../db";
import type { ApiKey, CliDeviceAuthorization, Prisma } from "../generated/prisma/client";
import type { KeyEnvironment, Scope } from "../generated/prisma/enums";
import { invalidateKeyEverywhere } from "../keys/invalidation";
import { toKeyObject, type KeyObject } from "../keys/record";
import { checkNewKey, insertKey, revokeInTransaction, withNameConflict, type KeyGuard } from "../keys/service";
import { hashLinkToken, newLinkToken, publicUrl } from "../link-tokens";
import type { Actor } from "../orgs/actor";
import { can } from "../orgs/roles";
import { rateLimiter, rateLimitHeaders } from "../ratelimit/limiter";
import { USER_CODE_ALPHABET, USER_CODE_LENGTH } from "../validations/cli-device";
import type { CreateKeyData } from "../validations/keys";

export const DEVICE_CODE_TTL_SECONDS = 600;
export const POLL_INTERVAL_SECONDS = 5;
// Sign-ins one address may start per minute, and codes one user may look up per minute on /cli/authorize (a user code
// has 20^8 ≈ 2.6·10^10 values and lives 10 minutes: guessing one is hopeless at this rate).
export const DEVICE_STARTS_PER_MINUTE = 10;
export const CODE_LOOKUPS_PER_MINUTE = 30;
const SLOW_DOWN_STEP_SECONDS = 5;
const DAY_MS = 86_400_000;

type Tx = Prisma.TransactionClient;

export type DeviceStart = {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
};

export type DeviceToken = {
  secret: string;
  key: KeyObject;
  organization: { id: string; slug: string; name: string };
};

// A fresh user code, "BCDF-GHJK": uniform over the alphabet (rejection sampling, no modulo bias).
function newUserCode(): string {
  let letters = "";
  while (letters.length < USER_CODE_LENGTH) {
    for (const byte of randomBytes(16)) {
      if (byte < 240 && letters.length < USER_CODE_LENGTH) letters += USER_CODE_ALPHABET[byte % 20];
    }
  }
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

// Counts one start from this address: whether it is within the limit, and the rate-limit headers of the answer.
export async function countDeviceStart(ip: string | null) {
  const result = await rateLimiter().consume(`cli-device:${ip ?? "unknown"}`, DEVICE_STARTS_PER_MINUTE);
  return { allowed: result.allowed, headers: rateLimitHeaders(result) };
}

// Starts a sign-in for a machine named `clientName`; answers the codes once (only their hashes are kept).
export async function startDeviceAuthorization(
  clientName: string | undefined,
  ip: string | null,
  now = new Date(),
): Promise<DeviceStart> {
  // Sign-ins that ended without a key are of no further use a day on (a claimed one stays: logout looks its key up).
  await db.cliDeviceAuthorization.deleteMany({
    where: { expiresAt: { lt: new Date(now.getTime() - DAY_MS) }, keyId: null },
  });
  const deviceCode = newLinkToken();
  // A clash of user codes (one in 2.6·10^10 per live code) is retried with a new one.
  for (let attempt = 0; ; attempt++) {
    const userCode = newUserCode();
    try {
      await db.cliDeviceAuthorization.create({
        data: {
          deviceCodeHash: hashLinkToken(deviceCode),
          userCodeHash: hashLinkToken(userCode),
          clientName: clientName ?? "unknown machine",
          interval: POLL_INTERVAL_SECONDS,
          expiresAt: new Date(now.getTime() + DEVICE_CODE_TTL_SECONDS * 1000),
          requestIp: ip,
        },
      });
      const uri = publicUrl("/cli/authorize");
      return {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: uri,
        verification_uri_complete: `${uri}?code=${userCode}`,
        expires_in: DEVICE_CODE_TTL_SECONDS,
        interval: POLL_INTERVAL_SECONDS,
      };
    } catch (err) {
      if (attempt < 3 && (err as { code?: unknown }).code === "P2002") continue;
      throw err;
    }
  }
}

// The key the CLI gets: named for the machine (a number added while an active key has the name), no expiry unless the
// organization caps lifetimes (then the longest allowed).
function keyData(
  name: string,
  row: { environment: KeyEnvironment; scopes: Scope[] },
  maxLifetimeDays: number | null,
  now: Date,
): CreateKeyData {
  return {
    name,
    environment: row.environment,
    scopes: row.scopes,
    permissions: [],
    expiresAt: maxLifetimeDays === null ? null : new Date(now.getTime() + maxLifetimeDays * DAY_MS),
    ipAllowlist: [],
    rateLimit: null,
  };
}

// "CLI on <machine>", or "CLI on <machine> (2)", … : the first name no active key of the organization has.
async function freeKeyName(tx: Tx, organizationId: string, clientName: string): Promise<string> {
  const base = `CLI on ${clientName}`.slice(0, 56);
  const taken = new Set(
    (
      await tx.apiKey.findMany({
        where: { organizationId, activeName: { startsWith: base } },
        select: { activeName: true },
      })
    ).map((k) => k.activeName),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} (${n})`)) return `${base} (${n})`;
}

// The approving member as the keys service's Actor (their role is read again inside each transaction).
function approverActor(row: { organizationId: string; approvedById: string; approvalIp: string | null }): Actor {
  return {
    organizationId: row.organizationId,
    userId: row.approvedById,
    role: null,
    via: "session",
    ip: row.approvalIp,
  };
}

// POST /api/v1/cli/token — one poll of the CLI: the key and its secret exactly once after approval, else the RFC 8628
// error (authorization_pending, slow_down, expired_token, access_denied). An unknown, used or expired code is
// expired_token. Polls closer than the interval get slow_down and raise it by 5 seconds.
export async function pollDeviceToken(deviceCode: string, ip: string | null, now = new Date()): Promise<DeviceToken> {
  const hash = hashLinkToken(deviceCode);
  const row = await db.cliDeviceAuthorization.findUnique({ where: { deviceCodeHash: hash } });
  if (!row || row.status === "claimed" || row.expiresAt <= now) throw new ApiError("expired_token");
  // One conditional write stamps the poll: of polls closer than the interval (concurrent ones too) only one passes.
  const stamped = await db.cliDeviceAuthorization.updateMany({
    where: {
      id: row.id,
      OR: [{ lastPolledAt: null }, { lastPolledAt: { lte: new Date(now.getTime() - row.interval * 1000) } }],
    },
    data: { lastPolledAt: now },
  });
  if (stamped.count === 0) {
    await db.cliDeviceAuthorization.update({
      where: { id: row.id },
      data: { interval: { increment: SLOW_DOWN_STEP_SECONDS }, lastPolledAt: now },
    });
    throw new ApiError(
      "slow_down",
      `Polling too fast: wait ${row.interval + SLOW_DOWN_STEP_SECONDS} seconds between polls.`,
    );
  }
  if (row.status === "denied") throw new ApiError("access_denied", row.denyReason ?? undefined);
  if (row.status === "pending") throw new ApiError("authorization_pending");
  return claim(row, ip, now);
}

// Creates the approved key for the CLI, once: the claim (approved → claimed) and the key are one transaction, so of
// concurrent polls only one can create it. A key the service now refuses (the member left, a policy changed) denies
// the sign-in with the service's reason.
async function claim(row: CliDeviceAuthorization, ip: string | null, now: Date): Promise<DeviceToken> {
  if (!row.organizationId || !row.approvedById || !row.environment) throw new ApiError("expired_token");
  const approved = { organizationId: row.organizationId, approvedById: row.approvedById, approvalIp: row.approvalIp };
  try {
    return await withNameConflict(() =>
      db.$transaction(async (tx) => {
        const claimed = await tx.cliDeviceAuthorization.updateMany({
          where: { id: row.id, status: "approved", expiresAt: { gt: now } },
          data: { status: "claimed", claimedAt: now },
        });
        if (claimed.count !== 1) throw new ApiError("expired_token");
        const org = await tx.organization.findUniqueOrThrow({ where: { id: approved.organizationId } });
        const data = keyData(
          await freeKeyName(tx, org.id, row.clientName),
          { environment: row.environment!, scopes: row.scopes },
          org.maxKeyLifetimeDays,
          now,
        );
        const { key, secret } = await insertKey(tx, approverActor(approved), data, { ip: row.approvalIp ?? ip });
        await tx.cliDeviceAuthorization.update({ where: { id: row.id }, data: { keyId: key.id } });
        return { secret, key: toKeyObject(key), organization: { id: org.id, slug: org.slug, name: org.name } };
      }),
    );
  } catch (err) {
    if (!(err instanceof ApiError) || err.code === "expired_token") throw err;
    await db.cliDeviceAuthorization.updateMany({
      where: { id: row.id, status: "approved" },
      data: { status: "denied", deniedAt: now, denyReason: err.message },
    });
    throw new ApiError("access_denied", `The key could not be created: ${err.message}`);
  }
}

// A live, pending sign-in by its user code (normalised, "BCDF-GHJK"), for the approval page; null when there is none.
// Each look-up counts against the user's per-minute limit (locked beyond).
export async function findPendingDevice(
  userId: string,
  userCode: string,
  now = new Date(),
): Promise<Pick<CliDeviceAuthorization, "clientName" | "createdAt" | "expiresAt" | "requestIp"> | null> {
  const limited = await rateLimiter().consume(`cli-code:${userId}`, CODE_LOOKUPS_PER_MINUTE);
  if (!limited.allowed) throw new ApiError("locked", "Too many codes tried: wait a minute and try again.");
  const row = await db.cliDeviceAuthorization.findUnique({ where: { userCodeHash: hashLinkToken(userCode) } });
  if (!row || row.status !== "pending" || row.expiresAt <= now) return null;
  return { clientName: row.clientName, createdAt: row.createdAt, expiresAt: row.expiresAt, requestIp: row.requestIp };
}

const NO_SUCH_CODE = "This code is unknown, expired or already used: run `keyhold login` again for a new one.";

// The scopes a member may approve for the CLI's key in their organization: those whose key the keys service would
// create for them now (role, approval policy, allowlist policy, MFA for admin), in order read, write, admin; and when
// there is none, why (the service's refusal of a read key).
export async function approvableScopes(
  actor: Actor,
  guard: KeyGuard | undefined,
  clientName = "this machine",
): Promise<{ scopes: Scope[]; refusal: string | null }> {
  // Step-up freshness is asked at approval; here only what the member's account and the policies allow.
  const enrolment: KeyGuard | undefined = guard
    ? (existing, change) => {
        try {
          guard(existing, change);
        } catch (err) {
          if (!(err instanceof ApiError && err.code === "step_up_required")) throw err;
        }
      }
    : undefined;
  const scopes: Scope[] = [];
  let refusal: string | null = null;
  await db.$transaction(async (tx) => {
    const org = await tx.organization.findUniqueOrThrow({ where: { id: actor.organizationId } });
    const name = await freeKeyName(tx, org.id, clientName);
    for (const scope of ["read", "write", "admin"] as const) {
      try {
        const data = keyData(name, { environment: "live", scopes: [scope] }, org.maxKeyLifetimeDays, new Date());
        await checkNewKey(tx, actor, data, { authorize: enrolment });
        scopes.push(scope);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        refusal ??= err.message;
      }
    }
  });
  return { scopes, refusal: scopes.length ? null : refusal };
}

export type DeviceOrgOption = { slug: string; name: string; scopes: Scope[]; refusal: string | null };

// The organizations the approval page offers: those where the user may create keys now (a member holding keys.create,
// the organization active and its MFA policy met), each with the scopes they may approve.
export async function deviceApprovalOptions(
  user: { id: string; mfaEnabledAt: Date | null },
  clientName: string,
  guard: KeyGuard,
): Promise<DeviceOrgOption[]> {
  const rows = await db.membership.findMany({
    where: { userId: user.id },
    include: { organization: true },
    orderBy: { createdAt: "asc" },
  });
  const out: DeviceOrgOption[] = [];
  for (const row of rows) {
    const actor: Actor = { organizationId: row.organizationId, userId: user.id, role: row.role, via: "session" };
    if (!can(actor, "keys.create") || row.organization.suspendedAt) continue;
    if (row.organization.requireMfa && !user.mfaEnabledAt) continue;
    const { scopes, refusal } = await approvableScopes(actor, guard, clientName);
    out.push({ slug: row.organization.slug, name: row.organization.name, scopes, refusal });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

// Approves a pending sign-in for the member's organization: every check of creating the key runs now, as the member
// with their step-up guard (so a refusal, such as "needs an administrator's approval", is shown on the page), and
// again when the CLI collects the key. The row is taken from pending in one conditional write.
export async function approveDevice(
  actor: Actor,
  userCode: string,
  choice: { environment: KeyEnvironment; scopes: Scope[] },
  guard: KeyGuard,
  now = new Date(),
): Promise<{ clientName: string }> {
  return db.$transaction(async (tx) => {
    const row = await tx.cliDeviceAuthorization.findUnique({ where: { userCodeHash: hashLinkToken(userCode) } });
    if (!row || row.status !== "pending" || row.expiresAt <= now)
      throw new ApiError("invalid_request", NO_SUCH_CODE, "code");
    const org = await tx.organization.findUniqueOrThrow({ where: { id: actor.organizationId } });
    const data = keyData(await freeKeyName(tx, org.id, row.clientName), choice, org.maxKeyLifetimeDays, now);
    await checkNewKey(tx, actor, data, { authorize: guard });
    const taken = await tx.cliDeviceAuthorization.updateMany({
      where: { id: row.id, status: "pending", expiresAt: { gt: now } },
      data: {
        status: "approved",
        approvedById: actor.userId,
        organizationId: org.id,
        environment: choice.environment,
        scopes: choice.scopes,
        approvedAt: now,
        approvalIp: actor.ip ?? null,
      },
    });
    if (taken.count !== 1) throw new ApiError("invalid_request", NO_SUCH_CODE, "code");
    return { clientName: row.clientName };
  });
}

// Denies a pending sign-in: the CLI's next poll gets access_denied.
export async function denyDevice(userCode: string, now = new Date()): Promise<void> {
  const denied = await db.cliDeviceAuthorization.updateMany({
    where: { userCodeHash: hashLinkToken(userCode), status: "pending", expiresAt: { gt: now } },
    data: { status: "denied", deniedAt: now, denyReason: "The sign-in was denied in the browser." },
  });
  if (denied.count !== 1) throw new ApiError("invalid_request", NO_SUCH_CODE, "code");
}

// POST /api/v1/cli/logout — `keyhold logout`: the calling key revokes itself, when the browser sign-in issued it.
// Any scope may: revoking only takes power away. Audited as the key.
export async function revokeDeviceKey(key: Pick<ApiKey, "id">, actor: Actor, ip: string | null): Promise<KeyObject> {
  const revoked = await db.$transaction(async (tx) => {
    const issued = await tx.cliDeviceAuthorization.findUnique({ where: { keyId: key.id }, select: { id: true } });
    if (!issued)
      throw new ApiError(
        "forbidden",
        "Only a key issued by `keyhold login` in the browser revokes itself: revoke this one in the dashboard.",
      );
    const current = await tx.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    return revokeInTransaction(tx, current, actor, { ip });
  });
  await invalidateKeyEverywhere(revoked.id);
  return toKeyObject(revoked);
}
