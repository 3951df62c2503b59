"use client";
// Runs a key server action with pending state, field errors and a form-level failure (MFA, not found); a needed
// step-up is asked for inline and the action then completes. Render `stepUpDialog` in the form.
import { useState } from "react";
import { useStepUp } from "@/components/mfa/use-step-up";
import type { ActionResult } from "@/lib/actions/result";
import type { FieldErrors } from "@/lib/validations/field-errors";

export type Failure = { code: string; message: string } | null;

export function useKeyAction(fields: readonly string[]) {
  // A form shows the errors of its fields and of their parts ("ipAllowlist.2.value" belongs to "ipAllowlist").
  const ownField = (f: string) => fields.some((field) => f === field || f.startsWith(`${field}.`));
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<Failure>(null);
  const stepUp = useStepUp();

  function reset() {
    setErrors({});
    setFailure(null);
  }

  // Resolves to the action's data, or null after showing why it failed.
  async function run<T>(call: () => Promise<ActionResult<T>>): Promise<T | null> {
    setPending(true);
    reset();
    try {
      const result = await stepUp.run(call);
      if (result.ok) return result.data;
      const fieldErrors = result.fieldErrors ?? {};
      setErrors(fieldErrors);
      const shown = Object.keys(fieldErrors).some(ownField);
      const other = Object.entries(fieldErrors).find(([f]) => !ownField(f))?.[1];
      if (!shown || other) setFailure({ code: result.code, message: other ?? result.message });
      return null;
    } catch {
      setFailure({ code: "error", message: "Something went wrong. Please try again." });
      return null;
    } finally {
      setPending(false);
    }
  }

  return { pending, errors, setErrors, failure, setFailure, run, reset, stepUpDialog: stepUp.stepUpDialog };
}
