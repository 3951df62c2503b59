"use client";
// A one-field form for a 6-digit authenticator code, posted to a server action; used by enrolment, regeneration and step-up.
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import type { Action } from "@/lib/actions/define-action";
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
  action: Action<{ code: string }, T>;
  onSuccess: (data: T) => void;
  autoFocus?: boolean;
  // Extra buttons beside the submit button (e.g. Cancel).
  children?: React.ReactNode;
}) {
  const form = useFormAction(action, { onSuccess });

  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-2 sm:max-w-sm">
      {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
      <MfaCodeField id={id} method="totp" error={form.errors.code} autoFocus={autoFocus} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" pending={form.pending}>
          {form.pending ? "Checking…" : submitLabel}
        </Button>
        {children}
      </div>
    </form>
  );
}
