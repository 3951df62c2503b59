"use client";
// Reset-link form: the new password twice, posted with the link's token (works before JavaScript loads).
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { useFormAction } from "@/components/ui/use-form-action";
import { resetPasswordAction } from "@/lib/actions/auth";

export function ResetPasswordForm({ token }: { token: string }) {
  const form = useFormAction(resetPasswordAction, { fields: ["password", "confirmPassword"] });
  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-2">
      <h1 className="mb-2 text-xl font-semibold">Choose a new password</h1>
      {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
      <input type="hidden" name="token" value={token} />
      <NewPasswordFields errors={form.errors} />
      <Button type="submit" pending={form.pending}>
        {form.pending ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}
