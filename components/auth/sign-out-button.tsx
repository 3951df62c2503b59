"use client";
// A one-button form posting to the sign-out action (ends the account's sessions, deletes the cookie, goes to /login);
// a plain form post, so it works before JavaScript loads.
import { useFormAction } from "@/components/ui/use-form-action";
import { signOutAction } from "@/lib/actions/auth";

export function SignOutButton({
  className,
  role,
  children,
}: {
  className?: string;
  role?: "menuitem";
  children: React.ReactNode;
}) {
  const form = useFormAction(signOutAction);
  return (
    <form {...form.formProps}>
      <button type="submit" role={role} className={className} disabled={form.pending}>
        {children}
      </button>
      {form.failure ? (
        <p role="alert" className="px-3 text-xs text-red-600">
          {form.failure.message}
        </p>
      ) : null}
    </form>
  );
}
