// /dashboard/settings/security — password, sessions, two-factor authentication (enrolment, recovery codes, turning it
// off), notification mail preferences and the account's own activity (sign-ins, MFA and password events).
import QRCode from "qrcode";
import { MfaSettings } from "@/components/mfa/mfa-settings";
import { ChangePasswordForm } from "@/components/security/change-password-form";
import { MailPreferencesForm } from "@/components/security/mail-preferences-form";
import { SignOutEverywhereForm } from "@/components/security/sign-out-everywhere-form";
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { listAuditEvents } from "@/lib/audit";
import { requireUser } from "@/lib/auth/session";
import { getMfaStatus, getPendingEnrolment } from "@/lib/mfa/service";
import { getMailOptOut } from "@/lib/events/mail";
import { mailEnabled } from "@/lib/mail";

export const metadata = { title: "Security" };

const card = "flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5";

export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ required?: string }> }) {
  const { user } = await requireUser("/dashboard/settings/security");
  const { required } = await searchParams;
  const status = await getMfaStatus(user.id);
  const activity = await listAuditEvents({ accountId: user.id }, { limit: 20 });
  const optedOut = await getMailOptOut(user.id);
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
        {required && !status.enabledAt ? (
          <Alert tone="warning">
            The organization “{required.slice(0, 40)}” requires two-factor authentication for its members. Set it up
            below to continue.
          </Alert>
        ) : null}
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
        <section aria-labelledby="mail-heading" className={card}>
          <h2 id="mail-heading" className="text-lg font-semibold">
            Mail
          </h2>
          <MailPreferencesForm optedOut={optedOut} enabled={mailEnabled()} />
        </section>
        <MfaSettings
          email={user.email}
          enabledAt={status.enabledAt?.toISOString() ?? null}
          recoveryCodesRemaining={status.recoveryCodesRemaining}
          lockedUntil={status.lockedUntil?.toISOString() ?? null}
          enrolment={enrolment}
        />
        <section aria-labelledby="activity-heading" className={card}>
          <h2 id="activity-heading" className="text-lg font-semibold">
            Recent account activity
          </h2>
          <AuditTable events={activity.data} />
        </section>
      </div>
    </>
  );
}
