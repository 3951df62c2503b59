"use client";
// Security page's two-factor section: off → set up (QR, manual key, confirm) → recovery codes once → on (regenerate, turn off).
import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  cancelEnrolmentAction,
  confirmEnrolmentAction,
  regenerateRecoveryCodesAction,
  startEnrolmentAction,
} from "@/lib/actions/security";
import { Alert } from "@/components/ui/alert";
import { ActionButton } from "@/components/ui/action-button";
import { DisableMfaForm } from "./disable-mfa-form";
import { RecoveryCodesPanel } from "./recovery-codes-panel";
import { TotpCodeForm } from "./totp-code-form";

export interface MfaSettingsProps {
  email: string;
  enabledAt: string | null;
  recoveryCodesRemaining: number;
  lockedUntil: string | null;
  // Present while enrolment is pending: the QR code (SVG markup rendered on the server) and the base32 secret.
  enrolment: { qrSvg: string; secret: string } | null;
}

const card = "flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5";

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}

export function MfaSettings({ email, enabledAt, recoveryCodesRemaining, lockedUntil, enrolment }: MfaSettingsProps) {
  const router = useRouter();
  // Kept here so the codes stay on screen while the page re-renders as "on".
  const [codes, setCodes] = useState<string[] | null>(null);
  if (codes) {
    return (
      <RecoveryCodesPanel
        codes={codes}
        email={email}
        onDone={() => {
          setCodes(null);
          router.refresh();
        }}
      />
    );
  }

  if (enabledAt) {
    return (
      <div className="flex flex-col gap-6">
        <section aria-labelledby="mfa-status-heading" className={card}>
          <h2 id="mfa-status-heading" className="text-lg font-semibold">
            Two-factor authentication is on
          </h2>
          <p className="text-sm text-slate-700">
            On since {formatDate(enabledAt)}. Signing in and sensitive key changes ask for a code from your
            authenticator app.
          </p>
          <p className="text-sm text-slate-700">
            Recovery codes remaining: <strong>{recoveryCodesRemaining} of 10</strong>
          </p>
          {recoveryCodesRemaining <= 3 ? (
            <Alert tone="warning">You are running low on recovery codes. Generate a new set below.</Alert>
          ) : null}
          {lockedUntil ? (
            <Alert tone="error">
              Too many incorrect codes: two-factor authentication is locked until {formatDate(lockedUntil)}.
            </Alert>
          ) : null}
        </section>
        <section aria-labelledby="regenerate-heading" className={card}>
          <h2 id="regenerate-heading" className="text-lg font-semibold">
            New recovery codes
          </h2>
          <p className="text-sm text-slate-600">Replaces all your recovery codes; the old ones stop working.</p>
          <TotpCodeForm
            id="regenerate-code"
            submitLabel="Generate new recovery codes"
            action={regenerateRecoveryCodesAction}
            onSuccess={(d) => setCodes(d.codes)}
          />
        </section>
        <section aria-labelledby="disable-heading" className={card}>
          <h2 id="disable-heading" className="text-lg font-semibold">
            Turn off two-factor authentication
          </h2>
          <p className="text-sm text-slate-600">Your account will be protected by your password alone.</p>
          <DisableMfaForm />
        </section>
      </div>
    );
  }

  if (enrolment) {
    return (
      <section aria-labelledby="enrol-heading" className={card}>
        <h2 id="enrol-heading" className="text-lg font-semibold">
          Set up your authenticator app
        </h2>
        <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
          <li>Scan this QR code with an authenticator app (1Password, Google Authenticator, Authy…).</li>
          <li>Or enter the secret key by hand, as a time-based key.</li>
          <li>Enter the 6-digit code the app shows to finish.</li>
        </ol>
        <div
          role="img"
          aria-label={`QR code for adding Keyhold (${email}) to your authenticator app`}
          className="h-48 w-48 border border-slate-200 bg-white p-1 [&>svg]:h-full [&>svg]:w-full"
          dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
        />
        <p className="text-sm text-slate-700">
          Secret key:{" "}
          <code
            aria-label="Secret key for manual entry"
            className="break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm"
          >
            {enrolment.secret}
          </code>
        </p>
        <TotpCodeForm
          id="enrol-code"
          submitLabel="Turn on two-factor authentication"
          action={confirmEnrolmentAction}
          onSuccess={(d) => setCodes(d.codes)}
        />
        <ActionButton action={cancelEnrolmentAction} look="secondary">
          Cancel
        </ActionButton>
      </section>
    );
  }

  return (
    <section aria-labelledby="mfa-off-heading" className={card}>
      <h2 id="mfa-off-heading" className="text-lg font-semibold">
        Two-factor authentication is off
      </h2>
      <p className="text-sm text-slate-700">
        Add a code from an authenticator app to signing in, and to sensitive key changes. Administrator-scope keys and
        IP allowlists require it.
      </p>
      <ActionButton action={startEnrolmentAction} pendingLabel="Starting…">
        Set up two-factor authentication
      </ActionButton>
    </section>
  );
}
