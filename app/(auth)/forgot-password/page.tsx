// /forgot-password — request a reset link by mail (when SMTP_URL is set), else where to get one.
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { mailEnabled } from "@/lib/mail";

export const metadata = { title: "Forgot password" };
export const dynamic = "force-dynamic";

export default function ForgotPasswordPage() {
  return (
    <>
      {mailEnabled() ? (
        <ForgotPasswordForm />
      ) : (
        <>
          <h1 className="mb-2 text-xl font-semibold">Reset your password</h1>
          <p className="text-sm text-slate-600">
            This Keyhold instance does not send mail. Ask an administrator for a password-reset link.
          </p>
        </>
      )}
      <p className="mt-4 text-center text-sm text-slate-600">
        <Link href="/login" className="font-medium text-brand-600 underline">
          Back to sign in
        </Link>
      </p>
    </>
  );
}
