// Which dashboard key changes need a fresh step-up, and which need MFA enrolled at all (admin scope, IP allowlists).
// Pure: the key service runs it as a guard inside its transaction, on the row it already loaded. Over the REST API
// the admin-scope key is the credential and these rules do not apply (REST handlers pass no guard).
import type { ApiKey } from "../generated/prisma/client";
import type { AllowlistEntry } from "../ip/allowlist";
import { requireStepUp, type StepUpSubject } from "../mfa/step-up";
import type { CreateKeyData, UpdateKeyData } from "../validations/keys";
import { storedAllowlist } from "./record";
import type { KeyChange, KeyGuard } from "./service";

type ExistingKey = Pick<ApiKey, "scopes" | "ipAllowlist">;

function sameAllowlist(a: readonly AllowlistEntry[], b: readonly AllowlistEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every((entry, i) => entry.value === b[i].value && (entry.note ?? "") === (b[i].note ?? ""))
  );
}

// Generating a key always needs a step-up; an admin scope or a non-empty allowlist needs MFA enrolled.
function requireCreateStepUp(actor: StepUpSubject, data: CreateKeyData, now: number): void {
  requireStepUp(actor, { requireEnrolled: data.scopes.includes("admin") || data.ipAllowlist.length > 0 }, now);
}

// Changing scopes, expiry or the allowlist needs a step-up; granting admin or changing the allowlist needs MFA enrolled.
// A rename, a rate-limit change or an unchanged allowlist alone needs neither.
function requireUpdateStepUp(actor: StepUpSubject, existing: ExistingKey, data: UpdateKeyData, now: number): void {
  const grantsAdmin = !!data.scopes?.includes("admin") && !existing.scopes.includes("admin");
  const allowlistChanged =
    data.ipAllowlist !== undefined && !sameAllowlist(data.ipAllowlist, storedAllowlist(existing.ipAllowlist));
  if (data.scopes === undefined && data.expiresAt === undefined && !allowlistChanged) return;
  requireStepUp(actor, { requireEnrolled: grantsAdmin || allowlistChanged }, now);
}

// Throws ApiError step_up_required or mfa_required unless `actor` may make `change` to `existing` (null when creating) at `now`; rotating and
// revoking always need a fresh step-up when MFA is enrolled.
export function requireKeyStepUp(
  actor: StepUpSubject,
  existing: ExistingKey | null,
  change: KeyChange,
  now: number,
): void {
  switch (change.action) {
    case "create":
      return requireCreateStepUp(actor, change.data, now);
    case "update":
      // The service always loads the key first; without one, compare against a key with no admin scope and no allowlist.
      return requireUpdateStepUp(actor, existing ?? { scopes: [], ipAllowlist: [] }, change.data, now);
    case "rotate":
    case "revoke":
      return requireStepUp(actor, {}, now);
  }
}

// The guard a dashboard action passes to the key service for the signed-in actor.
export function keyStepUpGuard(actor: StepUpSubject): KeyGuard {
  return (existing, change) => requireKeyStepUp(actor, existing, change, Date.now());
}
