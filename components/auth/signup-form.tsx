"use client";
// Sign-up form: posts to the sign-up server action, which creates the account and signs in (works before JavaScript loads).
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { NewPasswordFields } from "@/components/auth/new-password-fields";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { signUpAction } from "@/lib/actions/auth";

export function SignUpForm({ next }: { next?: string }) {
  const form = useFormAction(signUpAction);

  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-2">
      <h1 className="mb-2 text-xl font-semibold">Create your account</h1>
      {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
      {next ? <input type="hidden" name="next" value={next} /> : null}
      <TextField label="Email" name="email" type="email" autoComplete="email" required error={form.errors.email} />
      <NewPasswordFields errors={form.errors} labels={["Password", "Confirm password"]} />
      <Button type="submit" pending={form.pending}>
        {form.pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
