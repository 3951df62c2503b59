// The result every dashboard server action returns, and the one mapper from a thrown error to it.
import { ApiError, toApiError, type ErrorCode } from "../api/errors";
import type { FieldErrors } from "../validations/field-errors";

export type ActionResult<T = undefined> =
  { ok: true; data: T } | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors };

// What a form's useActionState holds: nothing before the first submission, then the last result.
export type ActionState<T = undefined> = ActionResult<T> | null;

// A successful action result.
export function ok<T>(data: T): ActionResult<T> {
  return { ok: true, data };
}

// A failed action result.
export function fail(code: ErrorCode, message: string, fieldErrors?: FieldErrors): ActionResult<never> {
  return { ok: false, code, message, fieldErrors };
}

// Maps any thrown error to a failed result: an ApiError with its field (shown next to that field), anything else
// logged on the server and answered with a reference only.
export function toActionResult(err: unknown): ActionResult<never> {
  const apiError: ApiError = toApiError(err, "server action");
  return fail(apiError.code, apiError.message, apiError.field ? { [apiError.field]: apiError.message } : undefined);
}

// A failed result as form errors: its field errors, or its message as the form-level error.
export function resultErrors(result: { message: string; fieldErrors?: FieldErrors }): FieldErrors {
  return result.fieldErrors ?? { form: result.message };
}
