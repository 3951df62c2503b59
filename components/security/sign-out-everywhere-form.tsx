"use client";
// Security page: end every session of the account, this one included (a lost laptop, a shared computer).
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { signOutEverywhereAction } from "@/lib/actions/security";

export function SignOutEverywhereForm() {
  const form = useFormAction(signOutEverywhereAction);
  return (
    <form {...form.formProps} className="flex flex-col gap-2 sm:max-w-sm">
      {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
      <Button type="submit" look="secondary" pending={form.pending} className="self-start">
        {form.pending ? "Signing out…" : "Sign out everywhere"}
      </Button>
    </form>
  );
}
