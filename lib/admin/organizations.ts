// Instance administration of organizations: the table (plan, members, keys, key requests and API requests in 24 h,
// status), plan changes and suspension (all audited, all re-checking the actor is ADMIN).
import { ApiError } from "../errors";
import { recordAudit } from "../audit";
import { db } from "../db";
import type { Plan } from "../generated/prisma/client";
import { invalidateOrganizationKeysEverywhere } from "../keys/invalidation";
import { PLAN_LIMITS } from "../ratelimit/limiter";
import { requestsLast24hByOrganization } from "../usage/queries";
import { changePlanSchema, setOrganizationSuspendedSchema } from "../validations/admin";
import { assertAdmin, type Actor } from "./accounts";

export interface OrganizationRow {
  id: string;
  name: string;
  slug: string;
  plan: Plan;
  personal: boolean;
  members: number;
  keys: number;
  keyRequests24h: number;
  requests24h: number;
  createdAt: Date;
  suspendedAt: Date | null;
  // The administrator is a member: suspending it would lock them out of their own organization.
  yours: boolean;
}

// Every organization, newest first.
export async function listOrganizations(actor: Actor, now = new Date()): Promise<OrganizationRow[]> {
  assertAdmin(actor);
  const since = new Date(now.getTime() - 86_400_000);
  const [orgs, requests, keyRequests] = await Promise.all([
    db.organization.findMany({
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      include: {
        _count: { select: { memberships: true, keys: true } },
        memberships: { where: { userId: actor.id }, select: { id: true } },
      },
    }),
    requestsLast24hByOrganization(now),
    db.keyRequest.groupBy({ by: ["organizationId"], where: { createdAt: { gte: since } }, _count: { _all: true } }),
  ]);
  const requestsOf = new Map(keyRequests.map((r) => [r.organizationId, r._count._all]));
  return orgs.map((o) => ({
    id: o.id,
    name: o.name,
    slug: o.slug,
    plan: o.plan,
    personal: o.personal,
    members: o._count.memberships,
    keys: o._count.keys,
    keyRequests24h: requestsOf.get(o.id) ?? 0,
    requests24h: requests.get(o.id) ?? 0,
    createdAt: o.createdAt,
    suspendedAt: o.suspendedAt,
    yours: o.memberships.length > 0,
  }));
}

// Changes an organization's plan: its keys' default rate limit follows, key limits above the new plan's are lowered to
// it, cached key records are dropped; audited as admin.plan_changed.
export async function changePlan(
  actor: Actor,
  input: { organizationId: string; plan: string },
  ip: string | null,
): Promise<Plan> {
  assertAdmin(actor);
  const { organizationId, plan } = changePlanSchema.parse(input);
  const org = await db.organization.findUnique({ where: { id: organizationId }, select: { plan: true } });
  if (!org) throw new ApiError("not_found", "No such organization");
  if (org.plan === plan) return plan;
  const lowered = await db.$transaction(async (tx) => {
    await tx.organization.update({ where: { id: organizationId }, data: { plan } });
    const { count } = await tx.apiKey.updateMany({
      where: { organizationId, rateLimit: { gt: PLAN_LIMITS[plan] } },
      data: { rateLimit: PLAN_LIMITS[plan] },
    });
    return count;
  });
  await invalidateOrganizationKeysEverywhere(organizationId);
  await recordAudit({
    organizationId,
    userId: actor.id,
    actorId: actor.id,
    action: "admin.plan_changed",
    ip,
    metadata: { from: org.plan, to: plan, keyLimitsLowered: lowered },
  });
  return plan;
}

// Suspends an organization (its keys answer account_suspended at once on every instance; its members can read but
// change nothing) or restores it.
export async function setOrganizationSuspended(
  actor: Actor,
  input: { organizationId: string; suspended: boolean },
  ip: string | null,
  now = new Date(),
): Promise<Date | null> {
  assertAdmin(actor);
  const { organizationId, suspended } = setOrganizationSuspendedSchema.parse(input);
  const org = await db.organization.findUnique({
    where: { id: organizationId },
    select: { suspendedAt: true, memberships: { where: { userId: actor.id }, select: { id: true } } },
  });
  if (!org) throw new ApiError("not_found", "No such organization");
  if (suspended && org.memberships.length > 0)
    throw new ApiError("invalid_request", "You cannot suspend an organization you belong to");
  if ((org.suspendedAt !== null) === suspended) return org.suspendedAt;
  const suspendedAt = suspended ? now : null;
  await db.organization.update({ where: { id: organizationId }, data: { suspendedAt } });
  await invalidateOrganizationKeysEverywhere(organizationId);
  await recordAudit({
    organizationId,
    userId: actor.id,
    actorId: actor.id,
    action: suspended ? "admin.organization_suspended" : "admin.organization_restored",
    ip,
  });
  return suspendedAt;
}
