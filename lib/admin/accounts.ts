// Administration of accounts: the accounts table, plan changes, suspension and restoration (all audited, all re-checking the actor is ADMIN).
import { ApiError } from "../api/errors";
import { recordAudit } from "../audit";
import { db } from "../db";
import { PLAN_LIMITS } from "../ratelimit/limiter";
import { invalidateOwnerKeysEverywhere } from "../keys/invalidation";
import type { Plan } from "../generated/prisma/client";
import { requestsLast24hByUser } from "../usage/queries";
import { changePlanSchema, setSuspendedSchema } from "../validations/admin";

export type Actor = { id: string; role: string };

// Throws ApiError forbidden unless the actor is an administrator (every lib/admin function starts with it).
export function assertAdmin(actor: Actor): void {
  if (actor.role !== "ADMIN") throw new ApiError("forbidden", "Only administrators can do this");
}

export interface AccountRow {
  id: string;
  email: string;
  role: string;
  plan: Plan;
  keys: number;
  requests24h: number;
  mfaEnabled: boolean;
  createdAt: Date;
  suspendedAt: Date | null;
}

// Every account, newest first, with its key count and requests over the last 24 hours (from hour rollups).
export async function listAccounts(actor: Actor, now = new Date()): Promise<AccountRow[]> {
  assertAdmin(actor);
  const [users, requests] = await Promise.all([
    db.user.findMany({
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: {
        id: true,
        email: true,
        role: true,
        plan: true,
        createdAt: true,
        suspendedAt: true,
        mfaEnabledAt: true,
        _count: { select: { apiKeys: true } },
      },
    }),
    requestsLast24hByUser(now),
  ]);
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    role: u.role,
    plan: u.plan,
    keys: u._count.apiKeys,
    requests24h: requests.get(u.id) ?? 0,
    mfaEnabled: u.mfaEnabledAt !== null,
    createdAt: u.createdAt,
    suspendedAt: u.suspendedAt,
  }));
}

// Changes an account's plan: its keys' default rate limit follows, key limits above the new plan's are lowered to it,
// cached key records are dropped; audited as admin.plan_changed.
export async function changePlan(
  actor: Actor,
  input: { userId: string; plan: string },
  ip: string | null,
): Promise<Plan> {
  assertAdmin(actor);
  const { userId, plan } = changePlanSchema.parse(input);
  const user = await db.user.findUnique({ where: { id: userId }, select: { plan: true } });
  if (!user) throw new ApiError("not_found", "No such account");
  if (user.plan === plan) return plan;
  const lowered = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { plan } });
    const { count } = await tx.apiKey.updateMany({
      where: { userId, rateLimit: { gt: PLAN_LIMITS[plan] } },
      data: { rateLimit: PLAN_LIMITS[plan] },
    });
    return count;
  });
  await invalidateOwnerKeysEverywhere(userId);
  await recordAudit({
    userId,
    actorId: actor.id,
    action: "admin.plan_changed",
    ip,
    metadata: { from: user.plan, to: plan, keyLimitsLowered: lowered },
  });
  return plan;
}

// Suspends (its keys are then refused with account_suspended at once, on every instance, and its sessions end) or restores an account; an administrator cannot suspend themselves.
export async function setAccountSuspended(
  actor: Actor,
  input: { userId: string; suspended: boolean },
  ip: string | null,
  now = new Date(),
) {
  assertAdmin(actor);
  const { userId, suspended } = setSuspendedSchema.parse(input);
  if (suspended && userId === actor.id) throw new ApiError("invalid_request", "You cannot suspend your own account");
  const user = await db.user.findUnique({ where: { id: userId }, select: { suspendedAt: true } });
  if (!user) throw new ApiError("not_found", "No such account");
  if ((user.suspendedAt !== null) === suspended) return user.suspendedAt;
  const suspendedAt = suspended ? now : null;
  // Suspension also ends the account's sessions (sessionVersion), so restoring it later does not revive them.
  await db.user.update({
    where: { id: userId },
    data: { suspendedAt, ...(suspended ? { sessionVersion: { increment: 1 } } : {}) },
  });
  // Cached key records carry the owner's suspendedAt: drop them so the change applies to the very next request.
  await invalidateOwnerKeysEverywhere(userId);
  await recordAudit({
    userId,
    actorId: actor.id,
    action: suspended ? "admin.account_suspended" : "admin.account_restored",
    ip,
  });
  return suspendedAt;
}
