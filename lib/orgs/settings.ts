// Organization settings: a new organization from the dashboard, name and slug, policies, deletion. Each write checks
// the member's role here too (the actions check it first), then writes and audits in one transaction.
import { ApiError } from "../errors";
import { recordAudit } from "../audit";
import { db } from "../db";
import type { Organization } from "../generated/prisma/client";
import { invalidateOrganizationKeysEverywhere } from "../keys/invalidation";
import type { PoliciesData } from "../validations/organizations";
import { createOrganization, type OrgMember } from "./organizations";
import { policiesOf, type OrgPolicies } from "./policies";
import { authorizeInTx, memberActor } from "./actor";

type Meta = { ip: string | null };

const slugTaken = () =>
  new ApiError("invalid_request", "This slug is already taken: choose another", "slug", "slug_taken");

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

// Runs a write whose only possible unique violation is the organization's slug.
async function withSlugConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
}

// Creates an organization owned by the user; a blank slug is derived from the name.
export async function createOrganizationFor(
  userId: string,
  data: { name: string; slug?: string },
  meta: Meta,
): Promise<Organization> {
  return withSlugConflict(() =>
    db.$transaction(async (tx) => {
      if (data.slug && (await tx.organization.findUnique({ where: { slug: data.slug }, select: { id: true } })))
        throw slugTaken();
      const org = await createOrganization(tx, { name: data.name, slug: data.slug, ownerId: userId });
      // The new organization is the one used last from now on: written here, before the redirect renders the shell.
      await tx.user.update({ where: { id: userId }, data: { lastOrganizationId: org.id } });
      await recordAudit(
        {
          organizationId: org.id,
          userId,
          action: "org.created",
          ip: meta.ip,
          metadata: { name: org.name, slug: org.slug },
        },
        tx,
      );
      return org;
    }),
  );
}

// Renames the organization and/or changes its slug (its URLs move with it); no change writes nothing.
export async function updateOrganization(
  member: OrgMember,
  data: { name: string; slug: string },
  meta: Meta,
): Promise<Organization> {
  return withSlugConflict(() =>
    db.$transaction(async (tx) => {
      await authorizeInTx(tx, memberActor(member), "org.rename");
      const org = await tx.organization.findUniqueOrThrow({ where: { id: member.organization.id } });
      const changes = {
        ...(data.name !== org.name ? { name: { from: org.name, to: data.name } } : {}),
        ...(data.slug !== org.slug ? { slug: { from: org.slug, to: data.slug } } : {}),
      };
      if (Object.keys(changes).length === 0) return org;
      if (changes.slug && (await tx.organization.findUnique({ where: { slug: data.slug }, select: { id: true } })))
        throw slugTaken();
      const updated = await tx.organization.update({
        where: { id: org.id },
        data: { name: data.name, slug: data.slug },
      });
      await recordAudit(
        { organizationId: org.id, userId: member.userId, action: "org.updated", ip: meta.ip, metadata: changes },
        tx,
      );
      return updated;
    }),
  );
}

// Sets the organization's policies; the audit event carries what changed (from → to). Existing keys are not touched:
// one a new policy makes non-compliant keeps working and is flagged (keyViolations).
export async function updatePolicies(member: OrgMember, data: PoliciesData, meta: Meta): Promise<OrgPolicies> {
  return db.$transaction(async (tx) => {
    await authorizeInTx(tx, memberActor(member), "policies.manage");
    const org = await tx.organization.findUniqueOrThrow({ where: { id: member.organization.id } });
    const before = policiesOf(org);
    const after: OrgPolicies = { ...data, approvalPermissions: data.approvalPermissions ?? before.approvalPermissions };
    const changes = Object.fromEntries(
      (Object.keys(after) as (keyof OrgPolicies)[])
        .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
        .map((field) => [field, { from: before[field], to: after[field] }]),
    );
    if (Object.keys(changes).length === 0) return before;
    // Requiring MFA would otherwise lock the admin who turned it on out of every change until they enrol.
    if (changes.requireMfa && after.requireMfa) {
      const actor = await tx.user.findUniqueOrThrow({ where: { id: member.userId }, select: { mfaEnabledAt: true } });
      if (!actor.mfaEnabledAt)
        throw new ApiError(
          "invalid_request",
          "Enable two-factor authentication on your own account before requiring it for members",
          "requireMfa",
        );
    }
    const updated = await tx.organization.update({ where: { id: org.id }, data: after });
    await recordAudit(
      {
        organizationId: org.id,
        userId: member.userId,
        action: "org.policies_updated",
        ip: meta.ip,
        metadata: changes,
      },
      tx,
    );
    return policiesOf(updated);
  });
}

// Deletes the organization with its memberships, invitations, key requests, keys and usage (owners only, the slug
// typed as confirmation, never a personal organization). Its keys stop verifying at once on every instance. The
// audit event outlives it, as an account event of the owner who deleted it.
export async function deleteOrganization(member: OrgMember, confirmation: string, meta: Meta): Promise<void> {
  const org = member.organization;
  if (org.personal)
    throw new ApiError("forbidden", "A personal organization cannot be deleted", undefined, "personal_organization");
  if (confirmation.trim() !== org.slug)
    throw new ApiError(
      "invalid_request",
      `Type the organization's slug (${org.slug}) exactly to confirm`,
      "confirmation",
    );
  await db.$transaction(async (tx) => {
    await authorizeInTx(tx, memberActor(member), "org.delete");
    const keys = await tx.apiKey.count({ where: { organizationId: org.id } });
    const members = await tx.membership.count({ where: { organizationId: org.id } });
    await tx.usageEvent.deleteMany({ where: { organizationId: org.id } });
    await tx.usageRollup.deleteMany({ where: { organizationId: org.id } });
    await tx.organization.delete({ where: { id: org.id } });
    await recordAudit(
      {
        organizationId: null,
        userId: member.userId,
        action: "org.deleted",
        ip: meta.ip,
        metadata: { organizationId: org.id, slug: org.slug, name: org.name, keys, members },
      },
      tx,
    );
  });
  await invalidateOrganizationKeysEverywhere(org.id);
}
