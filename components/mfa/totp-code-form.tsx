"use client";
// A one-field form for a 6-digit authenticator code, submitted to a server action; used by enrolment, regeneration and step-up.
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { resultErrors, type ActionResult } from "@/lib/actions/result";
import { fieldErrors, type FieldErrors } from "@/lib/validations/field-errors";
import { mfaCodeSchema } from "@/lib/validations/mfa";
import { MfaCodeField } from "./mfa-code-field";

export function TotpCodeForm<T>({
  id,
  submitLabel,
  action,
  onSuccess,
  autoFocus,
  children,
}: {
  id: string;
  submitLabel: string;
  action: (input: { code: string }) => Promise<ActionResult<T>>;
  onSuccess: (data: T) => void;
  autoFocus?: boolean;
  // Extra buttons beside the submit button (e.g. Cancel).
  children?: React.ReactNode;
}) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    const parsed = mfaCodeSchema.safeParse({ method: "totp", code });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setPending(true);
    setErrors({});
    try {
      const result = await action({ code });
      if (!result.ok) return setErrors(resultErrors(result));
      onSuccess(result.data);
    } catch {
      setErrors({ form: "Something went wrong. Please try again." });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 sm:max-w-sm">
      {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
      <MfaCodeField id={id} method="totp" error={errors.code} autoFocus={autoFocus} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Checking…" : submitLabel}
        </Button>
        {children}
      </div>
    </form>
  );
}
