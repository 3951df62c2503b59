// Organization roles and the one matrix of what each may do (DESIGN.md "Organizations"); pages, actions and services ask can().
import type { OrgRole } from "../generated/prisma/enums";

export const ORG_ROLES = ["owner", "admin", "developer", "viewer"] as const satisfies readonly OrgRole[];
export type { OrgRole };

const RANK: Record<OrgRole, number> = { owner: 3, admin: 2, developer: 1, viewer: 0 };

// True when `role` is `min` or stronger.
export function atLeast(role: OrgRole, min: OrgRole): boolean {
  return RANK[role] >= RANK[min];
}

export type Capability =
  | "org.read"
  | "keys.create"
  | "keys.manage_own"
  | "keys.manage_all"
  | "keys.request"
  | "requests.review"
  | "members.manage"
  | "invitations.manage"
  | "policies.manage"
  | "webhooks.manage"
  | "org.rename"
  | "org.delete"
  | "ownership.transfer";

// The least role holding each capability.
const LEAST_ROLE: Record<Capability, OrgRole> = {
  "org.read": "viewer",
  "keys.create": "developer",
  "keys.manage_own": "developer",
  "keys.request": "developer",
  "keys.manage_all": "admin",
  "requests.review": "admin",
  "members.manage": "admin",
  "invitations.manage": "admin",
  "policies.manage": "admin",
  "webhooks.manage": "admin",
  "org.rename": "admin",
  "org.delete": "owner",
  "ownership.transfer": "owner",
};

export const CAPABILITIES = Object.keys(LEAST_ROLE) as Capability[];

export function can(role: OrgRole, capability: Capability): boolean {
  return atLeast(role, LEAST_ROLE[capability]);
}

// Whether a member may change a key: admins and owners any key, developers the keys they created, viewers none.
export function canManageKey(member: { role: OrgRole; userId: string }, key: { createdById: string | null }): boolean {
  if (can(member.role, "keys.manage_all")) return true;
  return can(member.role, "keys.manage_own") && key.createdById === member.userId;
}

export const ROLE_LABELS: Record<OrgRole, string> = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  viewer: "Viewer",
};
