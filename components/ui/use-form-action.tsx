"use client";
// The one client runner for every form: useActionState over a defineAction server action, with field errors, a
// form-level error, pending state, and (for sensitive actions) a runner such as the step-up flow around the call.
//
// Without `toInput` or `run` the server action itself is the form's action (useActionState), so the form posts and
// works before JavaScript loads, showing the answer. With them, the form data is shaped on the client first, and a
// submission before hydration does nothing. Either way no field can ever land in a URL.
import { useActionState, useState, type FormEvent } from "react";
import { ApiError } from "@/lib/errors";
import type { Action } from "@/lib/actions/define-action";
import { fail, type ActionResult, type ActionState } from "@/lib/actions/result";
import type { FieldErrors } from "@/lib/validations/field-errors";

export type FormActionOptions<I, T> = {
  // Builds the action's input from the form (throw ApiError for a problem found on the client).
  toInput?: (form: FormData) => I;
  // Runs the action's call through a flow: useStepUpFormAction (components/mfa) asks for a step-up code, then calls again.
  run?: <R>(call: () => Promise<ActionResult<R>>) => Promise<ActionResult<R>>;
  // Called once per successful submission.
  onSuccess?: (data: T) => void;
  // The fields this form shows next to their inputs ("ipAllowlist" owns "ipAllowlist.2.value"); errors of other fields
  // become the form-level error. Omitted: every field error is shown by field.
  fields?: readonly string[];
};

export type FormFailure = { code: string; message: string; reason?: string } | null;

// Field errors of the fields a form owns, and the form-level failure for everything else.
export function splitErrors(
  result: ActionState<unknown>,
  fields?: readonly string[],
): { errors: FieldErrors; failure: FormFailure } {
  if (!result || result.ok) return { errors: {}, failure: null };
  const all = result.fieldErrors ?? {};
  const owns = (f: string) =>
    f !== "form" && (!fields || fields.some((field) => f === field || f.startsWith(`${field}.`)));
  const errors = Object.fromEntries(Object.entries(all).filter(([f]) => owns(f)));
  const other = Object.entries(all).find(([f]) => !owns(f))?.[1];
  const failure =
    other || Object.keys(errors).length === 0
      ? { code: result.code, message: other ?? result.message, reason: result.reason }
      : null;
  return { errors, failure };
}

// Runs a form's server action: spread `formProps` on the <form>.
export function useFormAction<I, T>(action: Action<I, T>, opts: FormActionOptions<I, T> = {}) {
  const { toInput, run: runner, fields } = opts;
  const progressive = !toInput && !runner;
  // Before hydration the browser posts a progressive form to the server action itself; its answer renders here.
  const [postedState, postAction] = useActionState<ActionState<T>, FormData>(action, null);
  const [result, setResult] = useState<ActionState<T>>(null);
  // Own pending flag, not a transition: the step-up dialog's form runs while the sensitive form's action awaits it, and
  // entangled transitions would keep both "pending" until the outer one ends.
  const [pending, setPending] = useState(false);

  const run = async (form: FormData): Promise<ActionResult<T>> => {
    let input: I;
    try {
      input = toInput ? toInput(form) : (form as unknown as I);
    } catch (err) {
      if (err instanceof ApiError)
        return fail(err.code, err.message, err.field ? { [err.field]: err.message } : undefined);
      throw err;
    }
    const call = () => (toInput ? action(input) : action(null, form));
    try {
      return runner ? await runner(call) : await call();
    } catch {
      return fail("internal_error", "Something went wrong. Please try again.");
    }
  };

  // Once hydrated, submit ourselves: the result (and onSuccess) arrive before the page refresh the action triggers can
  // unmount this form, and React's own form action would reset every field, wiping what the server refused.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Pending submit buttons stay enabled (they keep focus): a second submission (Enter in a field) meanwhile is ignored.
    if (pending) return;
    const form = new FormData(event.currentTarget);
    setPending(true);
    void run(form)
      .then((next) => {
        // An action that redirected (sign-in, sign-out) resolves with nothing: Next is already navigating.
        if (!next) return;
        setResult(next);
        if (next.ok) opts.onSuccess?.(next.data);
      })
      .finally(() => setPending(false));
  };

  const shown = result ?? (progressive ? postedState : null);
  return {
    // A form that shapes its input on the client has no server-side post to fall back to: before hydration it does nothing.
    formProps: { action: progressive ? postAction : noPost, onSubmit },
    pending,
    result: shown,
    ...splitErrors(shown, fields),
    // A dialog reopened after a failure starts clean.
    reset: () => setResult(null),
  };
}

// The form action of a client-shaped form before hydration: nothing (the fields never leave the page).
function noPost(): void {}
