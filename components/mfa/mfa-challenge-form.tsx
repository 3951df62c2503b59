"use client";
// Second sign-in step: a code from the authenticator app or a recovery code, posted to the server action (works before
// JavaScript loads, with the authenticator code); on success the action continues to `next`.
import { useState } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { verifySignInCodeAction } from "@/lib/actions/auth";
import { MfaCodeField, type MfaMethod } from "./mfa-code-field";

export function MfaChallengeForm({ next }: { next: string }) {
  const [method, setMethod] = useState<MfaMethod>("totp");
  const form = useFormAction(verifySignInCodeAction);

  return (
    <div className="flex flex-col gap-3">
      <form {...form.formProps} noValidate className="flex flex-col gap-3">
        <h1 className="text-xl font-semibold">Two-factor authentication</h1>
        <p className="text-sm text-slate-600">
          {method === "totp"
            ? "Enter the code shown in your authenticator app."
            : "Enter one of the recovery codes you saved when you set up two-factor authentication."}
        </p>
        {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
        <input type="hidden" name="method" value={method} />
        <input type="hidden" name="next" value={next} />
        <MfaCodeField
          id="mfa-code"
          method={method}
          error={form.errors.code}
          autoFocus
          onMethodChange={(m) => {
            setMethod(m);
            form.reset();
          }}
        />
        <Button type="submit" pending={form.pending}>
          {form.pending ? "Verifying…" : "Verify"}
        </Button>
      </form>
      <SignOutButton className="w-full text-sm text-slate-600 underline">Cancel and sign out</SignOutButton>
    </div>
  );
}
