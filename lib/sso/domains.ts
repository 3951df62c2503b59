// SSO domains: an owner claims an email domain for an organization, the instance administrator approves it; approved
// domains drive JIT membership at SSO sign-in and "require SSO" (no password sign-in, password sessions end).
import { ApiError } from "../errors";
import { recordActorAudit, recordAudit } from "../audit";
import { db } from "../db";
import type { SsoDomain } from "../generated/prisma/client";
import { assertAdmin, type Actor as AdminActor } from "../admin/accounts";
import { authorizeInTx, type Actor } from "../orgs/actor";
import type { ClaimSsoDomainInput, UpdateSsoDomainInput } from "../validations/sso";

type Meta = { ip: string | null };

// The domain part of an email address, lower-case.
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

// The approved claim on the email's domain, or null.
export async function approvedDomainFor(email: string): Promise<SsoDomain | null> {
  const claim = await db.ssoDomain.findUnique({ where: { domain: emailDomain(email) } });
  return claim?.status === "approved" ? claim : null;
}

// The email's domain when an approved claim requires SSO for it (no password sign-in), else null.
export async function ssoRequiredDomain(email: string): Promise<string | null> {
  const claim = await approvedDomainFor(email);
  return claim?.requireSso ? claim.domain : null;
}

// The organization's claims, oldest first.
export async function listOrganizationDomains(organizationId: string): Promise<SsoDomain[]> {
  return db.ssoDomain.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" } });
}

// Claims a domain for the organization (owners); it waits for the instance administrator's approval.
export async function claimDomain(actor: Actor, input: ClaimSsoDomainInput, meta: Meta): Promise<SsoDomain> {
  return db.$transaction(async (tx) => {
    await authorizeInTx(tx, actor, "sso.manage");
    if (await tx.ssoDomain.findUnique({ where: { domain: input.domain }, select: { id: true } }))
      throw new ApiError("invalid_request", "This domain is already claimed", "domain", "domain_taken");
    const claim = await tx.ssoDomain.create({
      data: {
        organizationId: actor.organizationId,
        domain: input.domain,
        defaultRole: input.defaultRole,
        claimedById: actor.userId,
      },
    });
    await recordActorAudit(tx, actor, "sso.domain_claimed", meta.ip, {
      metadata: { domain: claim.domain, defaultRole: claim.defaultRole },
    });
    return claim;
  });
}

// Changes a claim's default role and "require SSO" (owners); turning require SSO on ends the domain's password
// sessions at their next request (lib/auth/session-version).
export async function updateDomain(actor: Actor, input: UpdateSsoDomainInput, meta: Meta): Promise<SsoDomain> {
  return db.$transaction(async (tx) => {
    await authorizeInTx(tx, actor, "sso.manage");
    const claim = await tx.ssoDomain.findFirst({ where: { id: input.id, organizationId: actor.organizationId } });
    if (!claim) throw new ApiError("not_found", "No such domain in this organization", "id");
    const changes = {
      ...(claim.defaultRole !== input.defaultRole
        ? { defaultRole: { from: claim.defaultRole, to: input.defaultRole } }
        : {}),
      ...(claim.requireSso !== input.requireSso
        ? { requireSso: { from: claim.requireSso, to: input.requireSso } }
        : {}),
    };
    if (Object.keys(changes).length === 0) return claim;
    const updated = await tx.ssoDomain.update({
      where: { id: claim.id },
      data: { defaultRole: input.defaultRole, requireSso: input.requireSso },
    });
    await recordActorAudit(tx, actor, "sso.domain_updated", meta.ip, {
      metadata: { domain: claim.domain, ...changes },
    });
    return updated;
  });
}

// Removes a claim (owners): its users keep their memberships; JIT and require SSO stop.
export async function removeDomain(actor: Actor, id: string, meta: Meta): Promise<void> {
  await db.$transaction(async (tx) => {
    await authorizeInTx(tx, actor, "sso.manage");
    const claim = await tx.ssoDomain.findFirst({ where: { id, organizationId: actor.organizationId } });
    if (!claim) throw new ApiError("not_found", "No such domain in this organization", "id");
    await tx.ssoDomain.delete({ where: { id: claim.id } });
    await recordActorAudit(tx, actor, "sso.domain_removed", meta.ip, { metadata: { domain: claim.domain } });
  });
}

// Sets whether the organization's MFA-required policy accepts the identity provider's MFA (owners).
export async function updateSsoSettings(actor: Actor, input: { acceptIdpMfa: boolean }, meta: Meta): Promise<void> {
  await db.$transaction(async (tx) => {
    await authorizeInTx(tx, actor, "sso.manage");
    const org = await tx.organization.findUniqueOrThrow({
      where: { id: actor.organizationId },
      select: { ssoAcceptIdpMfa: true },
    });
    if (org.ssoAcceptIdpMfa === input.acceptIdpMfa) return;
    await tx.organization.update({
      where: { id: actor.organizationId },
      data: { ssoAcceptIdpMfa: input.acceptIdpMfa },
    });
    await recordActorAudit(tx, actor, "sso.settings_updated", meta.ip, {
      metadata: { acceptIdpMfa: { from: org.ssoAcceptIdpMfa, to: input.acceptIdpMfa } },
    });
  });
}

// Claims waiting for the instance administrator, oldest first, with their organization.
export async function listPendingDomains() {
  return db.ssoDomain.findMany({
    where: { status: "pending" },
    orderBy: { createdAt: "asc" },
    include: { organization: { select: { id: true, slug: true, name: true } } },
  });
}

// Approves (or rejects: deletes) a pending claim, as the instance administrator; audited in the organization's log.
export async function decideDomain(
  admin: AdminActor,
  input: { id: string; approve: boolean },
  ip: string | null,
): Promise<void> {
  assertAdmin(admin);
  await db.$transaction(async (tx) => {
    const claim = await tx.ssoDomain.findUnique({ where: { id: input.id } });
    if (!claim || claim.status !== "pending") throw new ApiError("not_found", "No pending claim with this id", "id");
    if (input.approve)
      await tx.ssoDomain.update({
        where: { id: claim.id },
        data: { status: "approved", approvedById: admin.id, approvedAt: new Date() },
      });
    else await tx.ssoDomain.delete({ where: { id: claim.id } });
    await recordAudit(
      {
        organizationId: claim.organizationId,
        userId: admin.id,
        action: input.approve ? "sso.domain_approved" : "sso.domain_rejected",
        ip,
        metadata: { domain: claim.domain, by: "instance-admin" },
      },
      tx,
    );
  });
}
