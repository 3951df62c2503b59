"use client";
// Turns MFA off: password plus a current authenticator code or a recovery code.
import { useState, type FormEvent } from "react";
import { disableMfaAction } from "@/lib/actions/security";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { resultErrors } from "@/lib/actions/result";
import { fieldErrors, type FieldErrors } from "@/lib/validations/field-errors";
import { disableMfaSchema } from "@/lib/validations/mfa";
import { MfaCodeField, type MfaMethod } from "./mfa-code-field";

export function DisableMfaForm() {
  const [method, setMethod] = useState<MfaMethod>("totp");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { password: String(form.get("password") ?? ""), method, code: String(form.get("code") ?? "") };
    const parsed = disableMfaSchema.safeParse(input);
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setPending(true);
    setErrors({});
    try {
      const result = await disableMfaAction(input);
      if (!result.ok) setErrors(resultErrors(result));
    } catch {
      setErrors({ form: "Something went wrong. Please try again." });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 sm:max-w-sm">
      {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
      <TextField id="disable-password" label="Password" name="password" type="password" autoComplete="current-password" error={errors.password} />
      <MfaCodeField
        id="disable-code"
        method={method}
        error={errors.code}
        onMethodChange={(m) => {
          setMethod(m);
          setErrors({});
        }}
      />
      <Button type="submit" look="danger" disabled={pending} className="self-start">
        {pending ? "Turning off…" : "Turn off two-factor authentication"}
      </Button>
    </form>
  );
}
