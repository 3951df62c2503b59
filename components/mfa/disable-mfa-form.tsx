"use client";
// Turns MFA off: password plus a current authenticator code or a recovery code, posted to the server action.
import { useState } from "react";
import { disableMfaAction } from "@/lib/actions/security";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CurrentPasswordField } from "@/components/auth/current-password-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { MfaCodeField, type MfaMethod } from "./mfa-code-field";

export function DisableMfaForm() {
  const [method, setMethod] = useState<MfaMethod>("totp");
  const form = useFormAction(disableMfaAction);

  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-2 sm:max-w-sm">
      {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
      <CurrentPasswordField id="disable-password" error={form.errors.password} />
      <input type="hidden" name="method" value={method} />
      <MfaCodeField
        id="disable-code"
        method={method}
        error={form.errors.code}
        onMethodChange={(m) => {
          setMethod(m);
          form.reset();
        }}
      />
      <Button type="submit" look="danger" pending={form.pending} className="self-start">
        {form.pending ? "Turning off…" : "Turn off two-factor authentication"}
      </Button>
    </form>
  );
}
