// /login — sign in with email and password, or through an identity provider (one button each); `next` comes from the
// URL and is posted back with the form; `error` is an SSO sign-in's outcome.
import Link from "next/link";
import { LoginForm } from "@/components/auth/login-form";
import { SsoButtons } from "@/components/auth/sso-buttons";
import { Alert } from "@/components/ui/alert";
import { safeNextPath } from "@/lib/auth/redirects";
import { env } from "@/lib/env";
import { mailEnabled } from "@/lib/mail";
import { loginErrorMessage } from "@/lib/sso/login-errors";
import { ssoProviders } from "@/lib/sso/providers";

export const metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; reset?: string | string[]; error?: string | string[] }>;
}) {
  const { next: raw, reset, error } = await searchParams;
  const next = typeof raw === "string" ? raw : undefined;
  const ssoError = loginErrorMessage(typeof error === "string" ? error : undefined);
  return (
    <>
      {reset === "done" ? (
        <div className="mb-4">
          <Alert tone="success">Your password has been changed. Sign in with the new one.</Alert>
        </div>
      ) : null}
      {ssoError ? (
        <div className="mb-4">
          <Alert tone="error">{ssoError}</Alert>
        </div>
      ) : null}
      <LoginForm next={next} />
      <SsoButtons providers={ssoProviders()} next={safeNextPath(next)} />
      {mailEnabled() ? (
        <p className="mt-3 text-center text-sm">
          <Link href="/forgot-password" className="text-brand-600 underline">
            Forgot password?
          </Link>
        </p>
      ) : null}
      {env().AUTH_DISABLE_SIGNUP ? null : (
        <p className="mt-4 text-center text-sm text-slate-600">
          New to Keyhold?{" "}
          <Link
            href={next ? `/signup?next=${encodeURIComponent(next)}` : "/signup"}
            className="font-medium text-brand-600 underline"
          >
            Create an account
          </Link>
        </p>
      )}
    </>
  );
}
