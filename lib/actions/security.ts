"use server";
// Security settings server actions: MFA enrolment, recovery codes, disabling, and the step-up check used by sensitive forms.
import { revalidatePath } from "next/cache";
import { updateSessionToken } from "../auth/session-cookie";
import { cancelEnrolment, confirmEnrolment, disableMfa, regenerateRecoveryCodes, startEnrolment, verifyChallenge } from "../mfa/service";
import { disableMfaFormSchema, emptyInputSchema, totpCodeFormSchema } from "../validations/mfa";
import { defineAction } from "./define-action";

const PAGE = "/dashboard/settings/security";

// Starts enrolment: a new pending secret, shown as a QR code on the page.
export const startEnrolmentAction = defineAction({ schema: emptyInputSchema, auth: "user" }, async (_input, { current }) => {
  await startEnrolment(current.user.id);
  revalidatePath(PAGE);
});

// Abandons a pending enrolment.
export const cancelEnrolmentAction = defineAction({ schema: emptyInputSchema, auth: "user" }, async (_input, { current }) => {
  await cancelEnrolment(current.user.id);
  revalidatePath(PAGE);
});

// Confirms enrolment with a first code; returns the recovery codes, readable this once. The code also counts as a step-up.
export const confirmEnrolmentAction = defineAction({ schema: totpCodeFormSchema, auth: "user" }, async ({ code }, { current, ip }) => {
  const codes = await confirmEnrolment(current.user.id, code, { ip });
  await updateSessionToken({ mfa: "verified", stepUpAt: Date.now() });
  return { codes };
});

// Replaces the recovery codes after a current authenticator code; returns the new codes.
export const regenerateRecoveryCodesAction = defineAction({ schema: totpCodeFormSchema, auth: "user" }, async ({ code }, { current, ip }) => {
  const codes = await regenerateRecoveryCodes(current.user.id, { method: "totp", code }, { ip });
  await updateSessionToken({ stepUpAt: Date.now() });
  return { codes };
});

// Turns MFA off with the password and a current code or a recovery code (that code is the step-up).
export const disableMfaAction = defineAction({ schema: disableMfaFormSchema, auth: "user" }, async (input, { current, ip }) => {
  await disableMfa(current.user.id, input, { ip });
  revalidatePath(PAGE);
});

// Step-up: a current authenticator code marks this session as recently verified (10 minutes), for useStepUp().
export const stepUpAction = defineAction({ schema: totpCodeFormSchema, auth: "user" }, async ({ code }, { current, ip }) => {
  await verifyChallenge(current.user.id, { method: "totp", code }, "step_up", { ip });
  await updateSessionToken({ stepUpAt: Date.now() });
});
