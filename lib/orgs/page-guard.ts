// Organization pages' one guard: the signed-in member of the organization in the URL (else 404, like another
// account's key), with the MFA policy applied (members without MFA are sent to enrolment first).
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { ApiError } from "../errors";
import { getCurrentUser, requireUser, type CurrentUser } from "../auth/session";
import { assertCan, memberActor } from "./actor";
import { db } from "../db";
import { defaultOrganizationSlug, findMembership, type OrgMember } from "./organizations";
import { meetsMfaPolicy } from "./policies";
import { can, type Capability } from "./roles";

// An organization page's props as Next.js passes them: the [org] slug (with the page's own `Params`) and its query.
export type OrgPageProps<Search, Params = object> = {
  params: Promise<{ org: string } & Params>;
  searchParams: Promise<Search>;
};

// Deduplicated per request: the layout and the page ask the same question.
const memberOf = cache((userId: string, slug: string) => findMembership(userId, slug));

// `capability`: what the page is for (every member reads; a page for changes needs its capability), else 404.
export async function requireMember(
  slug: string,
  path: string,
  capability: Capability = "org.read",
): Promise<{ current: CurrentUser; member: OrgMember }> {
  const current = await requireUser(path);
  const member = await memberOf(current.user.id, slug);
  if (!member || !can(member, capability)) notFound();
  if (!meetsMfaPolicy(member.organization, current))
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

// Route handlers' guard (the usage CSV export): the signed-in member of the organization in the URL holding
// `capability`, under the organization's MFA policy; throws the error table's codes (a route answers them as JSON).
export async function requireRouteMember(slug: string, capability: Capability): Promise<OrgMember> {
  const current = await getCurrentUser();
  if (!current) throw new ApiError("unauthenticated", "Sign in first");
  const member = await findMembership(current.user.id, slug);
  if (!member) throw new ApiError("not_found", "No organization with this slug");
  if (!meetsMfaPolicy(member.organization, current))
    throw new ApiError("mfa_required", "This organization requires two-factor authentication: enable it first.");
  assertCan(memberActor(member), capability);
  return member;
}
