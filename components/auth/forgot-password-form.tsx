"use client";
// "Forgot password": asks for the address and always answers the same, whether or not an account exists.
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { requestPasswordResetAction } from "@/lib/actions/auth";

export function ForgotPasswordForm() {
  const form = useFormAction(requestPasswordResetAction);
  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-2">
      <h1 className="mb-2 text-xl font-semibold">Reset your password</h1>
      {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
      {form.result?.ok ? <Alert tone="success">{form.result.data.message}</Alert> : null}
      <TextField label="Email" name="email" type="email" autoComplete="email" required error={form.errors.email} />
      <Button type="submit" pending={form.pending}>
        {form.pending ? "Sending…" : "Send reset link"}
      </Button>
    </form>
  );
}
