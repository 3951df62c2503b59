// Organization roles and THE capability table: what each role may do (DESIGN.md "Authorization: one actor, one guard").
// Server actions, REST routes, pages, route handlers and services all ask can(); nothing else decides who may do what.
import type { OrgRole } from "../generated/prisma/enums";

export const ORG_ROLES = ["owner", "admin", "developer", "viewer"] as const satisfies readonly OrgRole[];
export type { OrgRole };

const RANK: Record<OrgRole, number> = { owner: 3, admin: 2, developer: 1, viewer: 0 };

// True when `role` is `min` or stronger.
export function atLeast(role: OrgRole, min: OrgRole): boolean {
  return RANK[role] >= RANK[min];
}

// The weaker of two roles.
export function weaker(a: OrgRole, b: OrgRole): OrgRole {
  return RANK[a] <= RANK[b] ? a : b;
}

// `least`: the least role holding the capability. `othersLeast`: for a capability over a key, the least role that holds
// it over keys someone else created (a developer manages the keys they created, admins and owners every key).
type Rule = { least: OrgRole; othersLeast?: OrgRole; refusal: string };

const TABLE = {
  "org.read": { least: "viewer", refusal: "Only members of this organization can see it." },
  "usage.export": { least: "viewer", refusal: "Only members of this organization can export its usage." },
  "keys.create": { least: "developer", refusal: "Viewers cannot create keys." },
  "keys.manage": {
    least: "developer",
    othersLeast: "admin",
    refusal: "You can only change keys you created.",
  },
  // Adding, raising or removing a key's credits, and raising its rate limit: what the platform bills for.
  "keys.limits": {
    least: "admin",
    refusal: "Only admins and owners can add or raise credits, remove a credit limit or raise a rate limit.",
  },
  "keys.request": { least: "developer", refusal: "Viewers cannot request keys." },
  "requests.review": { least: "admin", refusal: "Only admins and owners review key requests." },
  "members.manage": { least: "admin", refusal: "Only admins and owners can manage members." },
  "invitations.manage": { least: "admin", refusal: "Only admins and owners can invite members." },
  "policies.manage": { least: "admin", refusal: "Only admins and owners can change policies." },
  // Reading and exporting the audit log (REST, NDJSON export): who did what, from where.
  "audit.read": {
    least: "admin",
    refusal: "Only admins and owners can read the audit log through the API or export it.",
  },
  "webhooks.manage": { least: "admin", refusal: "Only admins and owners can manage webhooks." },
  "org.rename": { least: "admin", refusal: "Only admins and owners can rename the organization." },
  "org.delete": { least: "owner", refusal: "Only owners can delete the organization." },
  "ownership.transfer": { least: "owner", refusal: "Only owners can transfer ownership." },
  // Claiming email domains for single sign-on, their default role and "require SSO", accepting the IdP's MFA.
  "sso.manage": { least: "owner", refusal: "Only owners can manage single sign-on." },
  // Giving or taking the owner role, and removing an owner.
  "owners.manage": { least: "owner", refusal: "Only owners can make, unmake or remove owners." },
} as const satisfies Record<string, Rule>;

export type Capability = keyof typeof TABLE;
export const CAPABILITIES = Object.keys(TABLE) as Capability[];

// Whoever asks: a role in the organization (null: none, e.g. a key whose creator left) and the user behind it.
export type RoleHolder = { role: OrgRole | null; userId: string | null };

// A key (or anything created by someone) that a capability is asked about.
export type OwnedResource = { createdById: string | null };

// Whether `actor` holds `capability` (over `resource`, when the capability is about one: a developer's own key).
export function can(actor: RoleHolder, capability: Capability, resource?: OwnedResource): boolean {
  if (!actor.role) return false;
  const rule: Rule = TABLE[capability];
  if (!atLeast(actor.role, rule.least)) return false;
  if (rule.othersLeast && resource && (actor.userId === null || resource.createdById !== actor.userId))
    return atLeast(actor.role, rule.othersLeast);
  return true;
}

// The message a refusal of `capability` shows (the viewer's wording where a viewer is the one refused).
export function refusalOf(capability: Capability, role: OrgRole | null): string {
  if (capability === "keys.manage" && role === "viewer") return "Viewers cannot change keys.";
  return TABLE[capability].refusal;
}

export const ROLE_LABELS: Record<OrgRole, string> = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  viewer: "Viewer",
};
