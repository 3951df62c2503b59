"use client";
// Second sign-in step: a code from the authenticator app or a recovery code; on success continues to `next`.
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { verifySignInCodeAction } from "@/lib/actions/auth";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { resultErrors } from "@/lib/actions/result";
import { fieldErrors, type FieldErrors } from "@/lib/validations/field-errors";
import { mfaCodeSchema } from "@/lib/validations/mfa";
import { MfaCodeField, type MfaMethod } from "./mfa-code-field";

export function MfaChallengeForm({ next }: { next: string }) {
  const router = useRouter();
  const [method, setMethod] = useState<MfaMethod>("totp");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = { method, code: String(new FormData(event.currentTarget).get("code") ?? "") };
    const parsed = mfaCodeSchema.safeParse(input);
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setPending(true);
    setErrors({});
    try {
      const result = await verifySignInCodeAction({ ...input, next });
      if (!result.ok) return setErrors(resultErrors(result));
      router.replace(next);
      router.refresh();
    } catch {
      setErrors({ form: "Something went wrong. Please try again." });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
      <h1 className="text-xl font-semibold">Two-factor authentication</h1>
      <p className="text-sm text-slate-600">
        {method === "totp" ? "Enter the code shown in your authenticator app." : "Enter one of the recovery codes you saved when you set up two-factor authentication."}
      </p>
      {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
      <MfaCodeField
        id="mfa-code"
        method={method}
        error={errors.code}
        autoFocus
        onMethodChange={(m) => {
          setMethod(m);
          setErrors({});
        }}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Verifying…" : "Verify"}
      </Button>
      <button type="button" className="text-sm text-slate-600 underline" onClick={() => signOut({ callbackUrl: "/login" })}>
        Cancel and sign out
      </button>
    </form>
  );
}
