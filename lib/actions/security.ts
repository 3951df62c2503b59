"use server";
// Security settings server actions: password change, signing out everywhere, MFA enrolment, recovery codes, disabling,
// and the step-up check used by sensitive forms.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { recordAudit } from "../audit";
import { changePassword } from "../auth/accounts";
import { clearSessionCookie, keepActingSession, updateSessionToken } from "../auth/session-cookie";
import { endSessions } from "../auth/session-version";
import { changePasswordSchema } from "../validations/auth";
import {
  cancelEnrolment,
  confirmEnrolment,
  disableMfa,
  regenerateRecoveryCodes,
  startEnrolment,
  verifyChallenge,
} from "../mfa/service";
import { disableMfaFormSchema, emptyInputSchema, totpCodeFormSchema } from "../validations/mfa";
import { setMailPreferences } from "../events/mail";
import { mailPreferencesSchema } from "../validations/mail";
import { defineAction } from "./define-action";

const PAGE = "/dashboard/settings/security";

// Starts enrolment: a new pending secret, shown as a QR code on the page.
export const startEnrolmentAction = defineAction(
  { schema: emptyInputSchema, auth: "user" },
  async (_input, { current }) => {
    await startEnrolment(current.user.id);
    revalidatePath(PAGE);
  },
);

// Abandons a pending enrolment.
export const cancelEnrolmentAction = defineAction(
  { schema: emptyInputSchema, auth: "user" },
  async (_input, { current }) => {
    await cancelEnrolment(current.user.id);
    revalidatePath(PAGE);
  },
);

// Confirms enrolment with a first code; returns the recovery codes, readable this once. The code also counts as a
// step-up. Every other session ends; this one is kept.
export const confirmEnrolmentAction = defineAction(
  { schema: totpCodeFormSchema, auth: "user" },
  async ({ code }, { current, ip }) => {
    const codes = await confirmEnrolment(current.user.id, code, { ip });
    await keepActingSession(current.user.id, current.user.sessionVersion, { mfa: "verified", stepUpAt: Date.now() });
    return { codes };
  },
);

// Replaces the recovery codes after a current authenticator code; returns the new codes.
export const regenerateRecoveryCodesAction = defineAction(
  { schema: totpCodeFormSchema, auth: "user" },
  async ({ code }, { current, ip }) => {
    const codes = await regenerateRecoveryCodes(current.user.id, { method: "totp", code }, { ip });
    await updateSessionToken({ stepUpAt: Date.now() });
    return { codes };
  },
);

// Turns MFA off with the password and a current code or a recovery code (that code is the step-up).
export const disableMfaAction = defineAction(
  { schema: disableMfaFormSchema, auth: "user" },
  async (input, { current, ip }) => {
    await disableMfa(current.user.id, input, { ip });
    await keepActingSession(current.user.id, current.user.sessionVersion);
    revalidatePath(PAGE);
  },
);

// Step-up: a current authenticator code marks this session as recently verified (10 minutes), for useStepUp().
export const stepUpAction = defineAction(
  { schema: totpCodeFormSchema, auth: "user" },
  async ({ code }, { current, ip }) => {
    await verifyChallenge(current.user.id, { method: "totp", code }, "step_up", { ip });
    await updateSessionToken({ stepUpAt: Date.now() });
  },
);

// Changes the password (current password, and a step-up when MFA is on); every other session ends, this one is kept.
export const changePasswordAction = defineAction(
  { schema: changePasswordSchema, auth: "user", stepUp: true },
  async (input, { current, ip }) => {
    const sessionVersion = await changePassword(current.user.id, input, ip);
    await updateSessionToken({ sv: sessionVersion });
  },
);

// Ends every session of the account, this one included, and goes to the sign-in page.
export const signOutEverywhereAction = defineAction(
  { schema: emptyInputSchema, auth: "user" },
  async (_input, { current, ip }) => {
    await endSessions(current.user.id);
    await recordAudit({ userId: current.user.id, action: "auth.signout_everywhere", ip });
    await clearSessionCookie();
    redirect("/login");
  },
);

// Saves which notification mails the user gets (key expiry, request digest, request decisions).
export const saveMailPreferencesAction = defineAction(
  { schema: mailPreferencesSchema, auth: "user" },
  async ({ mail }, { current }) => {
    await setMailPreferences(current.user.id, mail);
    revalidatePath(PAGE);
  },
);
