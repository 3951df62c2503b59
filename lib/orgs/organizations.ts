// Organizations and memberships: creation (personal at sign-up, or from the dashboard), lookup by slug for a member,
// the list behind the switcher.
import { db } from "../db";
import type { Organization, Prisma } from "../generated/prisma/client";
import { randomBase62 } from "../random";
import { policiesOf } from "./policies";
import type { OrgRole } from "./roles";

type Tx = Prisma.TransactionClient;

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

// Reserved so an organization's URL can never shadow a dashboard page.
export const RESERVED_SLUGS = new Set([
  "new",
  "settings",
  "keys",
  "usage",
  "audit",
  "members",
  "requests",
  "admin",
  "api",
]);

export function newClientId(): string {
  return `kh_client_${randomBase62(24)}`;
}

// A URL slug from a name or email: lower-case letters, digits and dashes, at most 30 characters.
export function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 30)
    .replace(/-+$/, "");
  return slug && !RESERVED_SLUGS.has(slug) ? slug : "org";
}

// The base slug if free, else the base with a short random suffix.
async function freeSlug(tx: Tx, base: string): Promise<string> {
  if (!(await tx.organization.findUnique({ where: { slug: base }, select: { id: true } }))) return base;
  for (;;) {
    const candidate = `${base}-${randomBase62(6).toLowerCase()}`;
    if (!(await tx.organization.findUnique({ where: { slug: candidate }, select: { id: true } }))) return candidate;
  }
}

// Creates an organization with `ownerId` as its owner; an explicit slug must be free (the caller checked the pattern).
export async function createOrganization(
  tx: Tx,
  input: { name: string; slug?: string; ownerId: string; personal?: boolean },
): Promise<Organization> {
  const slug = input.slug ?? (await freeSlug(tx, slugify(input.name)));
  const org = await tx.organization.create({
    data: { name: input.name, slug, clientId: newClientId(), personal: input.personal ?? false },
  });
  await tx.membership.create({ data: { organizationId: org.id, userId: input.ownerId, role: "owner" } });
  return org;
}

// The personal organization every new account gets, named after the email's local part.
export function createPersonalOrganization(tx: Tx, user: { id: string; email: string }): Promise<Organization> {
  const local = user.email.split("@")[0] || "personal";
  return createOrganization(tx, { name: local.slice(0, 60), ownerId: user.id, personal: true });
}

export type OrgMember = { organization: Organization; role: OrgRole; userId: string };

// The organization with this slug and the user's role in it, or null when it does not exist or they are not a member.
export async function findMembership(userId: string, slug: string): Promise<OrgMember | null> {
  if (!SLUG_PATTERN.test(slug)) return null;
  const row = await db.membership.findFirst({
    where: { userId, organization: { slug } },
    include: { organization: true },
  });
  return row ? { organization: row.organization, role: row.role, userId } : null;
}

// Every organization the user belongs to, personal first, then by name.
export async function listMyOrganizations(userId: string) {
  const rows = await db.membership.findMany({
    where: { userId },
    include: { organization: { select: { id: true, slug: true, name: true, personal: true, suspendedAt: true } } },
  });
  return rows
    .map((m) => ({ ...m.organization, role: m.role }))
    .sort((a, b) => Number(b.personal) - Number(a.personal) || a.name.localeCompare(b.name));
}

// The slug /dashboard opens: the last organization visited if still a member, else the first one; null if none.
export async function defaultOrganizationSlug(user: { id: string; lastOrganizationId: string | null }) {
  if (user.lastOrganizationId) {
    const last = await db.membership.findFirst({
      where: { userId: user.id, organizationId: user.lastOrganizationId },
      select: { organization: { select: { slug: true } } },
    });
    if (last) return last.organization.slug;
  }
  const orgs = await listMyOrganizations(user.id);
  return orgs[0]?.slug ?? null;
}

// Pending, unexpired key requests per organization slug, for the organizations where the user reviews them.
export async function pendingRequestCounts(userId: string, now = new Date()): Promise<Record<string, number>> {
  const reviewing = await db.membership.findMany({
    where: { userId, role: { in: ["owner", "admin"] } },
    select: { organization: { select: { id: true, slug: true } } },
  });
  if (reviewing.length === 0) return {};
  const counts = await db.keyRequest.groupBy({
    by: ["organizationId"],
    where: {
      organizationId: { in: reviewing.map((m) => m.organization.id) },
      status: "pending",
      expiresAt: { gt: now },
    },
    _count: { _all: true },
  });
  const slugOf = new Map(reviewing.map((m) => [m.organization.id, m.organization.slug]));
  return Object.fromEntries(counts.map((c) => [slugOf.get(c.organizationId)!, c._count._all]));
}

// What the signed-in shell shows: the switcher's organizations, the default one and the pending-request badges.
export async function shellOrganizations(user: { id: string; lastOrganizationId: string | null }) {
  const [organizations, defaultSlug, pendingRequests] = await Promise.all([
    listMyOrganizations(user.id),
    defaultOrganizationSlug(user),
    pendingRequestCounts(user.id),
  ]);
  return {
    organizations: organizations.map(({ slug, name, role, personal }) => ({ slug, name, role, personal })),
    defaultSlug,
    pendingRequests,
  };
}

// The organization as GET /api/v1/organization shows it: identity, plan and policies.
export async function getOrganizationSummary(organizationId: string) {
  const org = await db.organization.findUniqueOrThrow({ where: { id: organizationId } });
  return { id: org.id, slug: org.slug, name: org.name, plan: org.plan, policies: policiesOf(org) };
}
