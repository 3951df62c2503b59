// Step-up: sensitive actions need a TOTP check within the last 10 minutes when MFA is enrolled.
import type { JWT } from "next-auth/jwt";
import { ApiError } from "../errors";

export const STEP_UP_WINDOW_MS = 10 * 60 * 1000;

export type StepUpSubject = { user: { mfaEnabledAt: Date | null }; token: Pick<JWT, "stepUpAt"> };

// Whether this session has passed a TOTP check within the window.
function hasFreshStepUp(token: Pick<JWT, "stepUpAt">, now = Date.now()): boolean {
  return typeof token.stepUpAt === "number" && now - token.stepUpAt >= 0 && now - token.stepUpAt <= STEP_UP_WINDOW_MS;
}

// Throws ApiError mfa_required (MFA needed at all) or step_up_required (enrolled, no fresh code) unless the action may
// proceed: no MFA enrolled (and not required), or a fresh step-up.
export function requireStepUp(
  current: StepUpSubject,
  opts: { requireEnrolled?: boolean } = {},
  now = Date.now(),
): void {
  if (!current.user.mfaEnabledAt) {
    if (opts.requireEnrolled) throw new ApiError("mfa_required");
    return;
  }
  if (!hasFreshStepUp(current.token, now)) throw new ApiError("step_up_required");
}
