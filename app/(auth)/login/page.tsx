// /login — sign in with email and password; `next` comes from the URL and is posted back with the form.
import Link from "next/link";
import { LoginForm } from "@/components/auth/login-form";
import { Alert } from "@/components/ui/alert";
import { mailEnabled } from "@/lib/mail";

export const metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; reset?: string | string[] }>;
}) {
  const { next: raw, reset } = await searchParams;
  const next = typeof raw === "string" ? raw : undefined;
  return (
    <>
      {reset === "done" ? (
        <div className="mb-4">
          <Alert tone="success">Your password has been changed. Sign in with the new one.</Alert>
        </div>
      ) : null}
      <LoginForm next={next} />
      {mailEnabled() ? (
        <p className="mt-3 text-center text-sm">
          <Link href="/forgot-password" className="text-brand-600 underline">
            Forgot password?
          </Link>
        </p>
      ) : null}
      <p className="mt-4 text-center text-sm text-slate-600">
        New to Keyhold?{" "}
        <Link
          href={next ? `/signup?next=${encodeURIComponent(next)}` : "/signup"}
          className="font-medium text-brand-600 underline"
        >
          Create an account
        </Link>
      </p>
    </>
  );
}
