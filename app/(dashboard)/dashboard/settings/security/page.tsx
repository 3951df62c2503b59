// /dashboard/settings/security — two-factor authentication: enrolment, recovery codes, turning it off.
import QRCode from "qrcode";
import { MfaSettings } from "@/components/mfa/mfa-settings";
import { PageHeader } from "@/components/shell/page-header";
import { requireUser } from "@/lib/auth/session";
import { getMfaStatus, getPendingEnrolment } from "@/lib/mfa/service";

export const metadata = { title: "Security" };

export default async function SecurityPage() {
  const { user } = await requireUser("/dashboard/settings/security");
  const status = await getMfaStatus(user.id);
  const pending = status.pending ? await getPendingEnrolment(user.id) : null;
  const enrolment = pending
    ? { secret: pending.secret, qrSvg: await QRCode.toString(pending.uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" }) }
    : null;
  return (
    <>
      <PageHeader title="Security" description="Two-factor authentication protects sign-in and sensitive key changes." />
      <MfaSettings
        email={user.email}
        enabledAt={status.enabledAt?.toISOString() ?? null}
        recoveryCodesRemaining={status.recoveryCodesRemaining}
        lockedUntil={status.lockedUntil?.toISOString() ?? null}
        enrolment={enrolment}
      />
    </>
  );
}
