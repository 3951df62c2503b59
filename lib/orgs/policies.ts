// Organization policies applied to keys: maximum lifetime, allowlist for admin scope, which developers' keys need
// approval; and the flags shown for a key a later policy made non-compliant (it keeps working).
import { ApiError } from "../errors";
import type { KeyRequestPolicy, LeakResponse, Scope } from "../generated/prisma/enums";
import { can, type OrgRole } from "./roles";

const DAY_MS = 86_400_000;

export type OrgPolicies = {
  maxKeyLifetimeDays: number | null;
  requireAllowlistForAdmin: boolean;
  requireMfa: boolean;
  keyRequestPolicy: KeyRequestPolicy;
  approvalPermissions: string[];
  leakResponse: LeakResponse;
};

// The policy fields of an organization row.
export function policiesOf(org: OrgPolicies): OrgPolicies {
  return {
    maxKeyLifetimeDays: org.maxKeyLifetimeDays,
    requireAllowlistForAdmin: org.requireAllowlistForAdmin,
    requireMfa: org.requireMfa,
    keyRequestPolicy: org.keyRequestPolicy,
    approvalPermissions: org.approvalPermissions,
    leakResponse: org.leakResponse,
  };
}

// Whether a signed-in member meets the organization's "MFA required" policy: Keyhold's own TOTP, or — when the
// organization accepts it — an SSO session whose identity provider reported MFA. Step-up never counts the IdP's MFA.
export function meetsMfaPolicy(
  org: { requireMfa: boolean; ssoAcceptIdpMfa: boolean },
  current: { user: { mfaEnabledAt: Date | null }; token: { idpMfa?: boolean } },
): boolean {
  if (!org.requireMfa || current.user.mfaEnabledAt) return true;
  return org.ssoAcceptIdpMfa && current.token.idpMfa === true;
}

// The settings a key would have after a write: what the policies look at.
export type KeyShape = {
  scopes: readonly Scope[];
  expiresAt: Date | null;
  ipAllowlist: readonly unknown[];
  permissions?: readonly string[];
};

export type Violation = { field: "expiresAt" | "ipAllowlist"; message: string };

// Every way the key breaks the policies (empty: compliant). The lifetime counts from `from` (now for a new key).
export function keyViolations(policies: OrgPolicies, key: KeyShape, from = new Date()): Violation[] {
  const out: Violation[] = [];
  const max = policies.maxKeyLifetimeDays;
  if (max !== null) {
    if (!key.expiresAt) out.push({ field: "expiresAt", message: `Keys must expire within ${max} days` });
    else if (key.expiresAt.getTime() > from.getTime() + max * DAY_MS)
      out.push({ field: "expiresAt", message: `Keys must expire within ${max} days (organization policy)` });
  }
  if (policies.requireAllowlistForAdmin && key.scopes.includes("admin") && key.ipAllowlist.length === 0)
    out.push({ field: "ipAllowlist", message: "Admin-scope keys need an IP allowlist (organization policy)" });
  return out;
}

// Refuses a write that leaves the key non-compliant, naming the first field at fault.
export function assertKeyCompliant(policies: OrgPolicies, key: KeyShape, from = new Date()): void {
  const [first] = keyViolations(policies, key, from);
  if (first) throw new ApiError("invalid_request", first.message, first.field);
}

// Whether a member with this role must request the key (approval) instead of creating it.
// Reviewers (who hold requests.review) never need anyone's approval.
export function needsApproval(policies: OrgPolicies, role: OrgRole, key: KeyShape): boolean {
  if (can({ role, userId: null }, "requests.review")) return false;
  switch (policies.keyRequestPolicy) {
    case "never":
      return false;
    case "always":
      return true;
    case "admin_scope":
      return (
        key.scopes.includes("admin") || (key.permissions ?? []).some((p) => policies.approvalPermissions.includes(p))
      );
  }
}

// Whether any key (alwaysApproval: every key) this role creates must go through a key request: what pages offer.
export function approvalApplies(policies: OrgPolicies, role: OrgRole): { some: boolean; always: boolean } {
  return {
    some: needsApproval(policies, role, { scopes: ["admin"], expiresAt: null, ipAllowlist: [] }),
    always: needsApproval(policies, role, { scopes: ["read"], expiresAt: null, ipAllowlist: [] }),
  };
}

// The flags of a key as the API shows it (a revoked key is never flagged): what a later policy made non-compliant.
export function keyObjectViolations(
  policies: OrgPolicies,
  key: {
    scopes: Scope[];
    expiresAt: string | null;
    ipAllowlist: unknown[];
    createdAt: string;
    revokedAt: string | null;
  },
): Violation[] {
  if (key.revokedAt) return [];
  return keyViolations(
    policies,
    { scopes: key.scopes, expiresAt: key.expiresAt ? new Date(key.expiresAt) : null, ipAllowlist: key.ipAllowlist },
    new Date(key.createdAt),
  );
}
