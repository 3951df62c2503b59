// The result shape every dashboard server action returns, so forms show field errors and step-up prompts uniformly.
import type { FieldErrors } from "./validations/auth";

export type ActionErrorCode = "invalid" | "not_found" | "conflict" | "step_up_required" | "mfa_required" | "locked" | "forbidden";

export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; code: ActionErrorCode; message: string; fieldErrors?: FieldErrors };

// A successful action result.
export function ok<T>(data: T): ActionResult<T> {
  return { ok: true, data };
}

// A failed action result.
export function fail(code: ActionErrorCode, message: string, fieldErrors?: FieldErrors): ActionResult<never> {
  return { ok: false, code, message, fieldErrors };
}

// A failed result as form errors: its field errors, or its message as the form-level error.
export function resultErrors(result: { message: string; fieldErrors?: FieldErrors }): FieldErrors {
  return result.fieldErrors ?? { form: result.message };
}
