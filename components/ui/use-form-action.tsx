"use client";
// The one client runner for every form: useActionState over a defineAction server action, with field errors, a
// form-level error, pending state, and (for sensitive actions) a step-up code asked inline before completing.
//
// Without `toInput` or `stepUp` the server action itself is the form's action, so the form posts and works before
// JavaScript loads (no field can ever land in a URL). With them, the form data is shaped on the client first (such a
// form still has method=post, so an early submission never puts its fields in the URL).
import { startTransition, useActionState, useEffect, useRef, useState, type FormEvent } from "react";
import { useStepUp } from "@/components/mfa/use-step-up";
import { ApiError } from "@/lib/api/errors";
import type { Action } from "@/lib/actions/define-action";
import { fail, type ActionResult, type ActionState } from "@/lib/actions/result";
import type { FieldErrors } from "@/lib/validations/field-errors";

export type FormActionOptions<I, T> = {
  // Builds the action's input from the form (throw ApiError for a problem found on the client).
  toInput?: (form: FormData) => I;
  // Runs the action through the step-up flow: step_up_required opens the code dialog, then the action runs again.
  stepUp?: boolean;
  // Called once per successful submission.
  onSuccess?: (data: T) => void;
  // The fields this form shows next to their inputs ("ipAllowlist" owns "ipAllowlist.2.value"); errors of other fields
  // become the form-level error. Omitted: every field error is shown by field.
  fields?: readonly string[];
};

export type FormFailure = { code: string; message: string } | null;

// Field errors of the fields a form owns, and the form-level failure for everything else.
export function splitErrors(result: ActionState<unknown>, fields?: readonly string[]): { errors: FieldErrors; failure: FormFailure } {
  if (!result || result.ok) return { errors: {}, failure: null };
  const all = result.fieldErrors ?? {};
  const owns = (f: string) => f !== "form" && (!fields || fields.some((field) => f === field || f.startsWith(`${field}.`)));
  const errors = Object.fromEntries(Object.entries(all).filter(([f]) => owns(f)));
  const other = Object.entries(all).find(([f]) => !owns(f))?.[1];
  const failure = other || Object.keys(errors).length === 0 ? { code: result.code, message: other ?? result.message } : null;
  return { errors, failure };
}

// Runs a form's server action: spread `formProps` on the <form>; render `stepUpDialog` beside it when `stepUp` is on.
export function useFormAction<I, T>(action: Action<I, T>, opts: FormActionOptions<I, T> = {}) {
  const { toInput, stepUp: wantsStepUp, fields } = opts;
  const stepUp = useStepUp();
  const onSuccess = useRef(opts.onSuccess);
  useEffect(() => {
    onSuccess.current = opts.onSuccess;
  });

  const clientAction = async (_previous: ActionState<T>, form: FormData): Promise<ActionResult<T>> => {
    let input: I;
    try {
      input = toInput ? toInput(form) : (form as unknown as I);
    } catch (err) {
      if (err instanceof ApiError) return fail(err.code, err.message, err.field ? { [err.field]: err.message } : undefined);
      throw err;
    }
    const call = () => (toInput ? action(input) : action(null, form));
    try {
      return wantsStepUp ? await stepUp.run(call) : await call();
    } catch {
      return fail("internal_error", "Something went wrong. Please try again.");
    }
  };
  const progressive = !toInput && !wantsStepUp;
  const [state, formAction, pending] = useActionState<ActionState<T>, FormData>(progressive ? action : clientAction, null);

  // A dialog reopened after a failure starts clean: reset() hides the last result until the next submission.
  const [cleared, setCleared] = useState<ActionState<T>>(null);
  const shown = state === cleared ? null : state;

  useEffect(() => {
    if (state?.ok) onSuccess.current?.(state.data);
  }, [state]);

  // Once hydrated, submit inside a transition ourselves: React's own form action would reset every field afterwards,
  // wiping what the user typed when the server refuses it. Before hydration the browser posts to the server action.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => formAction(data));
  };

  return {
    formProps: { action: formAction, onSubmit },
    pending,
    result: shown,
    ...splitErrors(shown, fields),
    reset: () => setCleared(state),
    stepUpDialog: wantsStepUp ? stepUp.stepUpDialog : null,
  };
}
