// The result every dashboard server action returns, and the one mapper from a thrown error to it.
import { ApiError, toApiError, type ErrorCode } from "../errors";
import type { FieldErrors } from "../validations/field-errors";

export type ActionResult<T = undefined> =
  { ok: true; data: T } | { ok: false; code: ErrorCode; message: string; fieldErrors?: FieldErrors; reason?: string };

// What a form's useActionState holds: nothing before the first submission, then the last result.
export type ActionState<T = undefined> = ActionResult<T> | null;

// A successful action result.
export function ok<T>(data: T): ActionResult<T> {
  return { ok: true, data };
}

// A failed action result; `reason`: the error's finer cause, for the form to offer the way forward (approval_required).
export function fail(
  code: ErrorCode,
  message: string,
  fieldErrors?: FieldErrors,
  reason?: string,
): ActionResult<never> {
  return reason ? { ok: false, code, message, fieldErrors, reason } : { ok: false, code, message, fieldErrors };
}

// The finer causes a form offers a way forward for (the Generate dialog links "Request a key"); others stay server-side.
const FORM_REASONS: ReadonlySet<string> = new Set(["approval_required"]);

// Maps any thrown error to a failed result: an ApiError with its field (shown next to that field), anything else
// logged on the server and answered with a reference only.
export function toActionResult(err: unknown): ActionResult<never> {
  const apiError: ApiError = toApiError(err, "server action");
  return fail(
    apiError.code,
    apiError.message,
    apiError.field ? { [apiError.field]: apiError.message } : undefined,
    apiError.reason && FORM_REASONS.has(apiError.reason) ? apiError.reason : undefined,
  );
}

// A failed result as form errors: its field errors, or its message as the form-level error.
export function resultErrors(result: { message: string; fieldErrors?: FieldErrors }): FieldErrors {
  return result.fieldErrors ?? { form: result.message };
}
