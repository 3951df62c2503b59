// Step-up: sensitive actions need a TOTP check within the last 10 minutes when MFA is enrolled.
import type { JWT } from "next-auth/jwt";

export const STEP_UP_WINDOW_MS = 10 * 60 * 1000;

export class StepUpError extends Error {
  constructor(
    // mfa_required: the action needs MFA enrolled at all; step_up_required: enrolled, but no fresh code.
    public code: "mfa_required" | "step_up_required",
    message: string,
  ) {
    super(message);
  }
}

export type StepUpSubject = { user: { mfaEnabledAt: Date | null }; token: Pick<JWT, "stepUpAt"> };

// Whether this session has passed a TOTP check within the window.
function hasFreshStepUp(token: Pick<JWT, "stepUpAt">, now = Date.now()): boolean {
  return typeof token.stepUpAt === "number" && now - token.stepUpAt >= 0 && now - token.stepUpAt <= STEP_UP_WINDOW_MS;
}

// Throws StepUpError unless the action may proceed: no MFA enrolled (and not required), or a fresh step-up.
export function requireStepUp(current: StepUpSubject, opts: { requireEnrolled?: boolean } = {}, now = Date.now()): void {
  if (!current.user.mfaEnabledAt) {
    if (opts.requireEnrolled) {
      throw new StepUpError("mfa_required", "This action requires two-factor authentication. Enable it in Security settings first.");
    }
    return;
  }
  if (!hasFreshStepUp(current.token, now)) {
    throw new StepUpError("step_up_required", "Enter a code from your authenticator app to continue.");
  }
}
