"use client";
// Sign-up form: checks fields with the shared schema, creates the account, then signs in.
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { signUpAction } from "@/lib/actions/auth";
import { resultErrors } from "@/lib/actions/result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { signUpSchema } from "@/lib/validations/auth";
import { fieldErrors, type FieldErrors } from "@/lib/validations/field-errors";

export function SignUpForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      confirmPassword: String(form.get("confirmPassword") ?? ""),
    };
    const local = signUpSchema.safeParse(input);
    if (!local.success) return setErrors(fieldErrors(local.error));
    setPending(true);
    setErrors({});
    try {
      const result = await signUpAction(input);
      if (!result.ok) return setErrors(resultErrors(result));
      const signedIn = await signIn("credentials", { email: local.data.email, password: input.password, redirect: false });
      if (signedIn?.error) return setErrors({ form: signedIn.error });
      router.replace("/dashboard");
      router.refresh();
    } catch {
      setErrors({ form: "Something went wrong. Please try again." });
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2">
      <h1 className="mb-2 text-xl font-semibold">Create your account</h1>
      {errors.form ? <Alert tone="error">{errors.form}</Alert> : null}
      <TextField label="Email" name="email" type="email" autoComplete="email" required error={errors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters."
        error={errors.password}
      />
      <TextField label="Confirm password" name="confirmPassword" type="password" autoComplete="new-password" required error={errors.confirmPassword} />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
