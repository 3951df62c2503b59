// /dashboard/settings/security — password, sessions, and two-factor authentication (enrolment, recovery codes, turning it off).
import QRCode from "qrcode";
import { MfaSettings } from "@/components/mfa/mfa-settings";
import { ChangePasswordForm } from "@/components/security/change-password-form";
import { SignOutEverywhereForm } from "@/components/security/sign-out-everywhere-form";
import { PageHeader } from "@/components/shell/page-header";
import { requireUser } from "@/lib/auth/session";
import { getMfaStatus, getPendingEnrolment } from "@/lib/mfa/service";

export const metadata = { title: "Security" };

const card = "flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5";

export default async function SecurityPage() {
  const { user } = await requireUser("/dashboard/settings/security");
  const status = await getMfaStatus(user.id);
  const pending = status.pending ? await getPendingEnrolment(user.id) : null;
  const enrolment = pending
    ? {
        secret: pending.secret,
        qrSvg: await QRCode.toString(pending.uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" }),
      }
    : null;
  return (
    <>
      <PageHeader
        title="Security"
        description="Your password, your sessions, and two-factor authentication for sign-in and sensitive key changes."
      />
      <div className="flex flex-col gap-6">
        <section aria-labelledby="password-heading" className={card}>
          <h2 id="password-heading" className="text-lg font-semibold">
            Password
          </h2>
          <ChangePasswordForm mfaEnabled={status.enabledAt !== null} />
        </section>
        <section aria-labelledby="sessions-heading" className={card}>
          <h2 id="sessions-heading" className="text-lg font-semibold">
            Sessions
          </h2>
          <p className="text-sm text-slate-600">
            Signs out every browser signed in to this account, including this one.
          </p>
          <SignOutEverywhereForm />
        </section>
        <MfaSettings
          email={user.email}
          enabledAt={status.enabledAt?.toISOString() ?? null}
          recoveryCodesRemaining={status.recoveryCodesRemaining}
          lockedUntil={status.lockedUntil?.toISOString() ?? null}
          enrolment={enrolment}
        />
      </div>
    </>
  );
}
