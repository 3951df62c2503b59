// Turns a key-domain or step-up error into the ActionResult failure the dashboard forms understand.
import { fail, type ActionResult } from "../actions";
import { StepUpError } from "../mfa/step-up";
import { KeyError } from "./errors";

// The failure for a known error; anything else is rethrown (the page's error boundary shows it without details).
export function keyActionFailure(err: unknown): ActionResult<never> {
  if (err instanceof StepUpError) return fail(err.code, err.message);
  if (err instanceof KeyError) {
    if (err.code === "not_found") return fail("not_found", "This key no longer exists.");
    return fail("invalid", err.message, err.field ? { [err.field]: err.message } : undefined);
  }
  throw err;
}
