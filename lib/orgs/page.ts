// Organization pages' one guard: the signed-in member of the organization in the URL (else 404, like another
// account's key), with the MFA policy applied (members without MFA are sent to enrolment first).
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { requireUser, type CurrentUser } from "../auth/session";
import { db } from "../db";
import { defaultOrganizationSlug, findMembership, type OrgMember } from "./organizations";
import { atLeast, type OrgRole } from "./roles";

// Deduplicated per request: the layout and the page ask the same question.
const memberOf = cache((userId: string, slug: string) => findMembership(userId, slug));

export async function requireMember(
  slug: string,
  path: string,
  min: OrgRole = "viewer",
): Promise<{ current: CurrentUser; member: OrgMember }> {
  const current = await requireUser(path);
  const member = await memberOf(current.user.id, slug);
  if (!member || !atLeast(member.role, min)) notFound();
  if (member.organization.requireMfa && !current.user.mfaEnabledAt)
    redirect(`/dashboard/settings/security?required=${encodeURIComponent(slug)}`);
  return { current, member };
}

// Remembers the organization the user opened, for /dashboard next time (one write only when it changes).
export async function rememberOrganization(current: CurrentUser, organizationId: string): Promise<void> {
  if (current.user.lastOrganizationId === organizationId) return;
  await db.user.update({ where: { id: current.user.id }, data: { lastOrganizationId: organizationId } });
}

// Pre-organization dashboard URLs (/dashboard/keys, …) and bookmarks: the same page of the organization used last.
export async function redirectToOrgPage(page: "keys" | "usage" | "audit"): Promise<never> {
  const current = await requireUser(`/dashboard/${page}`);
  const slug = await defaultOrganizationSlug(current.user);
  redirect(slug ? `/dashboard/${slug}/${page}` : "/dashboard/new");
}
