// MFA refusals as ApiErrors: the table code the caller acts on, and the finer reason tests and audits name.
import { ApiError, type ErrorCode } from "../errors";

export type MfaFailure =
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

const CODE: Record<MfaFailure, ErrorCode> = {
  invalid_input: "invalid_request",
  invalid_code: "invalid_request",
  expired_code: "invalid_request",
  reused_code: "invalid_request",
  wrong_password: "invalid_request",
  locked: "locked",
  not_enrolled: "conflict",
  already_enabled: "conflict",
  no_pending_enrolment: "conflict",
  secret_unreadable: "conflict",
};

// An MFA refusal; `field` is the form field the message belongs to (form-level when absent).
export function mfaError(reason: MfaFailure, message: string, field?: "code" | "password"): ApiError {
  return new ApiError(CODE[reason], message, field, reason);
}
