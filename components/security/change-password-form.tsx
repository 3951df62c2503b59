"use client";
// Security page: change the password (current password, then the new one twice; a step-up code when MFA is on).
// Every other session ends; this one stays signed in.
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { CurrentPasswordField } from "@/components/auth/current-password-field";
import { useStepUp } from "@/components/mfa/step-up-provider";
import { useFormAction } from "@/components/ui/use-form-action";
import { changePasswordAction } from "@/lib/actions/security";

export function ChangePasswordForm({ mfaEnabled }: { mfaEnabled: boolean }) {
  // Without MFA no step-up can be asked, so the server action is the form's own action (works before JavaScript loads).
  const stepUp = useStepUp();
  const form = useFormAction(changePasswordAction, { run: mfaEnabled ? stepUp.run : undefined });

  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-2 sm:max-w-sm">
      {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
      {form.result?.ok ? (
        <Alert tone="success">Password changed. Every other session has been signed out.</Alert>
      ) : null}
      <CurrentPasswordField
        id="current-password"
        label="Current password"
        name="currentPassword"
        error={form.errors.currentPassword}
      />
      <NewPasswordFields errors={form.errors} idPrefix="new" />
      <Button type="submit" pending={form.pending} className="self-start">
        {form.pending ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
