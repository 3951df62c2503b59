// MFA domain errors and their one mapping to server-action results.
import { fail, type ActionResult } from "../actions";
import { StepUpError } from "./step-up";

export type MfaErrorCode =
  | "invalid_input"
  | "invalid_code"
  | "expired_code"
  | "reused_code"
  | "wrong_password"
  | "locked"
  | "not_enrolled"
  | "already_enabled"
  | "no_pending_enrolment"
  | "secret_unreadable";

export class MfaError extends Error {
  constructor(
    public code: MfaErrorCode,
    message: string,
    // The form field the message belongs to; form-level when absent.
    public field?: "code" | "password",
    public lockedUntil?: Date,
  ) {
    super(message);
  }
}

// Maps MfaError and StepUpError to an ActionResult; anything else is rethrown.
export function mfaErrorResult(err: unknown): ActionResult<never> {
  if (err instanceof StepUpError) return fail(err.code, err.message);
  if (!(err instanceof MfaError)) throw err;
  switch (err.code) {
    case "locked":
      return fail("locked", err.message);
    case "not_enrolled":
    case "already_enabled":
    case "no_pending_enrolment":
    case "secret_unreadable":
      return fail("conflict", err.message);
    default:
      return fail("invalid", err.message, err.field ? { [err.field]: err.message } : undefined);
  }
}
