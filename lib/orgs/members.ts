// Members of an organization: the list, role changes, removal, leaving and ownership transfer. Every write runs under
// the organization's member lock with the actor's role read again inside it (so two owners demoting each other cannot
// leave none), and is audited. Removing a member leaves their keys with the organization (createdBy stays).
import { ApiError } from "../errors";
import { recordAudit } from "../audit";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { invalidateKeyEverywhere } from "../keys/invalidation";
import { revokeInTransaction } from "../keys/service";
import type { OrgMember } from "./organizations";
import { authorizeInTx, memberActor } from "./actor";
import { can, type Capability, type OrgRole } from "./roles";
import { advisoryLock } from "../advisory-locks";
import { recordChange } from "../record-change";

type Tx = Prisma.TransactionClient;
type Meta = { ip: string | null };

export type MemberRow = { userId: string; email: string; role: OrgRole; mfa: boolean; joinedAt: Date };

export const LAST_OWNER_DEMOTE =
  "The last owner cannot be demoted: make another member owner (or transfer ownership) first.";
export const LAST_OWNER_LEAVE =
  "You are the last owner: transfer ownership or make another member owner before leaving.";
export const OWNERS_ONLY = "Only owners can make, unmake or remove owners.";

const MEMBER_SELECT = {
  role: true,
  createdAt: true,
  user: { select: { id: true, email: true, mfaEnabledAt: true } },
} as const;

type MembershipWithUser = Prisma.MembershipGetPayload<{ select: typeof MEMBER_SELECT }>;

function toRow(m: MembershipWithUser): MemberRow {
  return { userId: m.user.id, email: m.user.email, role: m.role, mfa: !!m.user.mfaEnabledAt, joinedAt: m.createdAt };
}

// The organization's members, in the order they joined (the members page and GET /api/v1/members).
export async function listMembers(organizationId: string): Promise<MemberRow[]> {
  const rows = await db.membership.findMany({
    where: { organizationId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: MEMBER_SELECT,
  });
  return rows.map(toRow);
}

// Runs `fn` in a transaction holding the organization's member lock, with the actor's current role (re-read under the
// lock: a role changed meanwhile counts); refuses an actor no longer a member or without the capability.
export async function asMember<T>(
  actor: OrgMember,
  capability: Capability,
  refusal: string,
  fn: (tx: Tx, role: OrgRole) => Promise<T>,
): Promise<T> {
  const organizationId = actor.organization.id;
  return db.$transaction(async (tx) => {
    await advisoryLock(tx, "organizationMembers", organizationId);
    const me = await authorizeInTx(tx, memberActor(actor), capability);
    return fn(tx, me.role!);
  });
}

// Another member of the actor's organization, or not_found naming the field.
async function findTarget(tx: Tx, organizationId: string, userId: string): Promise<MembershipWithUser> {
  const row = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: MEMBER_SELECT,
  });
  if (!row) throw new ApiError("not_found", "No such member in this organization", "userId");
  return row;
}

function ownerCount(tx: Tx, organizationId: string): Promise<number> {
  return tx.membership.count({ where: { organizationId, role: "owner" } });
}

const MANAGE_REFUSAL = "Only admins and owners can manage members.";

// Changes a member's role (admins and owners; only owners touch the owner role; the last owner stays).
export async function changeMemberRole(
  actor: OrgMember,
  input: { userId: string; role: OrgRole },
  meta: Meta,
): Promise<MemberRow> {
  const organizationId = actor.organization.id;
  return asMember(actor, "members.manage", MANAGE_REFUSAL, async (tx, myRole) => {
    const target = await findTarget(tx, organizationId, input.userId);
    if ((target.role === "owner" || input.role === "owner") && !can({ role: myRole, userId: null }, "owners.manage"))
      throw new ApiError("forbidden", OWNERS_ONLY);
    if (target.role === input.role) return toRow(target);
    if (target.role === "owner" && (await ownerCount(tx, organizationId)) <= 1)
      throw new ApiError("conflict", LAST_OWNER_DEMOTE, undefined, "last_owner");
    const updated = await tx.membership.update({
      where: { organizationId_userId: { organizationId, userId: input.userId } },
      data: { role: input.role },
      select: MEMBER_SELECT,
    });
    await recordAudit(
      {
        organizationId,
        userId: input.userId,
        actorId: actor.userId,
        action: "member.role_changed",
        ip: meta.ip,
        metadata: { email: target.user.email, from: target.role, to: input.role },
      },
      tx,
    );
    return toRow(updated);
  });
}

// The active (unrevoked) keys each member created in the organization, by user id: the removal dialog lists them.
// Once the member is gone these keys still verify for the platform's API but can manage nothing (creator_not_member).
export async function listKeysByCreator(
  organizationId: string,
): Promise<Map<string, { id: string; name: string; prefix: string }[]>> {
  const rows = await db.apiKey.findMany({
    where: { organizationId, revokedAt: null, createdById: { not: null } },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, prefix: true, createdById: true },
  });
  const byCreator = new Map<string, { id: string; name: string; prefix: string }[]>();
  for (const { createdById, ...key } of rows) {
    const list = byCreator.get(createdById!) ?? [];
    list.push(key);
    byCreator.set(createdById!, list);
  }
  return byCreator;
}

// Removes another member (admins and owners; owners only by owners). Their keys stay with the organization unless
// `revokeKeys`, which revokes every active key they created in the same transaction (member.removed counts them).
export async function removeMember(
  actor: OrgMember,
  userId: string,
  meta: Meta,
  opts: { revokeKeys?: boolean } = {},
): Promise<{ keysRevoked: number; revokedKeyIds: string[] }> {
  const organizationId = actor.organization.id;
  if (userId === actor.userId)
    throw new ApiError("invalid_request", "To leave the organization yourself, use Leave organization.", "userId");
  const removed = await asMember(actor, "members.manage", MANAGE_REFUSAL, async (tx, myRole) => {
    const target = await findTarget(tx, organizationId, userId);
    if (target.role === "owner" && !can({ role: myRole, userId: null }, "owners.manage"))
      throw new ApiError("forbidden", OWNERS_ONLY);
    await tx.membership.delete({ where: { organizationId_userId: { organizationId, userId } } });
    const revokedKeyIds: string[] = [];
    if (opts.revokeKeys) {
      const keys = await tx.apiKey.findMany({ where: { organizationId, createdById: userId, revokedAt: null } });
      for (const key of keys) {
        await revokeInTransaction(tx, key, memberActor(actor, meta.ip), meta);
        revokedKeyIds.push(key.id);
      }
    }
    const keysRevoked = revokedKeyIds.length;
    await recordChange(tx, {
      audit: {
        organizationId,
        userId,
        actorId: actor.userId,
        action: "member.removed",
        ip: meta.ip,
        metadata: { email: target.user.email, role: target.role, keysRevoked },
      },
      event: {
        type: "member.removed",
        data: {
          member: { userId, email: target.user.email, role: target.role },
          removedById: actor.userId,
          left: false,
          keysRevoked,
        },
      },
    });
    return { keysRevoked, revokedKeyIds };
  });
  for (const id of removed.revokedKeyIds) await invalidateKeyEverywhere(id);
  return removed;
}

// The actor leaves the organization; the last owner cannot.
export async function leaveOrganization(actor: OrgMember, meta: Meta): Promise<void> {
  const organizationId = actor.organization.id;
  await asMember(actor, "org.read", MANAGE_REFUSAL, async (tx, myRole) => {
    if (myRole === "owner" && (await ownerCount(tx, organizationId)) <= 1)
      throw new ApiError("conflict", LAST_OWNER_LEAVE, undefined, "last_owner");
    await tx.membership.delete({ where: { organizationId_userId: { organizationId, userId: actor.userId } } });
    const me = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
    await recordChange(tx, {
      audit: { organizationId, userId: actor.userId, action: "member.left", ip: meta.ip, metadata: { role: myRole } },
      event: {
        type: "member.removed",
        data: {
          member: { userId: actor.userId, email: me.email, role: myRole },
          removedById: actor.userId,
          left: true,
          keysRevoked: 0,
        },
      },
    });
  });
}

// An owner hands ownership to another member: they become owner, the actor becomes admin.
export async function transferOwnership(actor: OrgMember, userId: string, meta: Meta): Promise<MemberRow> {
  const organizationId = actor.organization.id;
  if (userId === actor.userId)
    throw new ApiError("invalid_request", "Choose another member: you are an owner already.", "userId");
  return asMember(actor, "ownership.transfer", "Only owners can transfer ownership.", async (tx) => {
    const target = await findTarget(tx, organizationId, userId);
    const promoted = await tx.membership.update({
      where: { organizationId_userId: { organizationId, userId } },
      data: { role: "owner" },
      select: MEMBER_SELECT,
    });
    await tx.membership.update({
      where: { organizationId_userId: { organizationId, userId: actor.userId } },
      data: { role: "admin" },
    });
    await recordAudit(
      {
        organizationId,
        userId,
        actorId: actor.userId,
        action: "org.ownership_transferred",
        ip: meta.ip,
        metadata: { from: actor.userId, to: userId, email: target.user.email, previousRole: target.role },
      },
      tx,
    );
    return toRow(promoted);
  });
}
