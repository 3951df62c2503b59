// Which dashboard key changes need a fresh step-up, and which need MFA enrolled at all (admin scope, IP allowlists).
// Over the REST API the admin-scope key is the credential and these rules do not apply.
import { requireStepUp, type StepUpSubject } from "../mfa/step-up";
import type { CreateKeyData, UpdateKeyData } from "../validations/keys";
import type { AllowlistEntry } from "../ip/allowlist";
import { getKey } from "./service";

type Actor = StepUpSubject & { user: { id: string } };

function sameAllowlist(a: readonly AllowlistEntry[], b: readonly AllowlistEntry[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry.value === b[i].value && (entry.note ?? "") === (b[i].note ?? ""));
}

// Generating a key always needs a step-up; an admin scope or a non-empty allowlist needs MFA enrolled.
export function requireKeyCreateStepUp(current: Actor, data: CreateKeyData, now = Date.now()): void {
  requireStepUp(current, { requireEnrolled: data.scopes.includes("admin") || data.ipAllowlist.length > 0 }, now);
}

// Changing scopes, expiry or the allowlist needs a step-up; granting admin or changing the allowlist needs MFA enrolled.
// A rename or a rate-limit change alone needs neither. Throws ApiError not_found for another account's key.
export async function requireKeyUpdateStepUp(current: Actor, id: string, data: UpdateKeyData, now = Date.now()): Promise<void> {
  if (data.scopes === undefined && data.expiresAt === undefined && data.ipAllowlist === undefined) return;
  const existing = await getKey(current.user.id, id);
  const grantsAdmin = !!data.scopes?.includes("admin") && !existing.scopes.includes("admin");
  const allowlistChanged = data.ipAllowlist !== undefined && !sameAllowlist(data.ipAllowlist, existing.ipAllowlist);
  if (data.scopes === undefined && data.expiresAt === undefined && !allowlistChanged) return;
  requireStepUp(current, { requireEnrolled: grantsAdmin || allowlistChanged }, now);
}
