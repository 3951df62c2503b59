"use client";
// Sign-in form: posts to the sign-in server action (works before JavaScript loads); errors next to each field.
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CurrentPasswordField } from "@/components/auth/current-password-field";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { signInAction } from "@/lib/actions/auth";

export function LoginForm({ next }: { next?: string }) {
  const form = useFormAction(signInAction);

  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-2">
      <h1 className="mb-2 text-xl font-semibold">Sign in</h1>
      {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <TextField label="Email" name="email" type="email" autoComplete="email" required error={form.errors.email} />
      <CurrentPasswordField required error={form.errors.password} />
      <Button type="submit" pending={form.pending}>
        {form.pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
