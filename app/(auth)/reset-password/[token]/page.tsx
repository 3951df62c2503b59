// /reset-password/[token] — choose a new password with a one-time reset link.
import { ResetPasswordForm } from "@/components/auth/reset-password-form";

export const metadata = { title: "Reset password", referrer: "no-referrer" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  return <ResetPasswordForm token={(await params).token} />;
}
