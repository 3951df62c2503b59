// /signup — create an account; `next` (an invitation page, say) comes from the URL and is posted back with the form.
// With AUTH_DISABLE_SIGNUP only an invitation's page offers the form (the server accepts only invited emails).
import Link from "next/link";
import { SignUpForm } from "@/components/auth/signup-form";
import { Alert } from "@/components/ui/alert";
import { SIGNUP_DISABLED } from "@/lib/auth/accounts";
import { env } from "@/lib/env";

export const metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next: raw } = await searchParams;
  const next = typeof raw === "string" ? raw : undefined;
  const invited = next?.startsWith("/invite/") ?? false;
  return (
    <>
      {env().AUTH_DISABLE_SIGNUP && !invited ? (
        <Alert tone="info">{SIGNUP_DISABLED}</Alert>
      ) : (
        <SignUpForm next={next} />
      )}
      <p className="mt-4 text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link
          href={next ? `/login?next=${encodeURIComponent(next)}` : "/login"}
          className="font-medium text-brand-600 underline"
        >
          Sign in
        </Link>
      </p>
    </>
  );
}
