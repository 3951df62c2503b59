"use server";
// Security settings server actions: MFA enrolment, recovery codes, disabling, and the step-up check used by sensitive forms.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { ok, type ActionResult } from "@/lib/actions";
import { requireUser } from "@/lib/auth/session";
import { updateSessionToken } from "@/lib/auth/session-cookie";
import { clientIp } from "@/lib/ip/client-ip";
import { mfaErrorResult } from "@/lib/mfa/errors";
import { cancelEnrolment, confirmEnrolment, disableMfa, regenerateRecoveryCodes, startEnrolment, verifyChallenge } from "@/lib/mfa/service";
import type { DisableMfaInput } from "@/lib/validations/mfa";

const PAGE = "/dashboard/settings/security";

// Starts enrolment: a new pending secret, shown as a QR code on the page.
export async function startEnrolmentAction(): Promise<ActionResult<undefined>> {
  const { user } = await requireUser(PAGE);
  try {
    await startEnrolment(user.id);
  } catch (err) {
    return mfaErrorResult(err);
  }
  revalidatePath(PAGE);
  return ok(undefined);
}

// Abandons a pending enrolment.
export async function cancelEnrolmentAction(): Promise<ActionResult<undefined>> {
  const { user } = await requireUser(PAGE);
  await cancelEnrolment(user.id);
  revalidatePath(PAGE);
  return ok(undefined);
}

// Confirms enrolment with a first code; returns the recovery codes, readable this once. The code also counts as a step-up.
export async function confirmEnrolmentAction(code: string): Promise<ActionResult<{ codes: string[] }>> {
  const { user } = await requireUser(PAGE);
  try {
    const codes = await confirmEnrolment(user.id, code, { ip: clientIp(await headers()) });
    await updateSessionToken({ mfa: "verified", stepUpAt: Date.now() });
    return ok({ codes });
  } catch (err) {
    return mfaErrorResult(err);
  }
}

// Replaces the recovery codes after a current authenticator code; returns the new codes.
export async function regenerateRecoveryCodesAction(code: string): Promise<ActionResult<{ codes: string[] }>> {
  const { user } = await requireUser(PAGE);
  try {
    const codes = await regenerateRecoveryCodes(user.id, { method: "totp", code }, { ip: clientIp(await headers()) });
    await updateSessionToken({ stepUpAt: Date.now() });
    return ok({ codes });
  } catch (err) {
    return mfaErrorResult(err);
  }
}

// Turns MFA off with the password and a current code or a recovery code (that code is the step-up).
export async function disableMfaAction(input: DisableMfaInput): Promise<ActionResult<undefined>> {
  const { user } = await requireUser(PAGE);
  try {
    await disableMfa(user.id, input, { ip: clientIp(await headers()) });
  } catch (err) {
    return mfaErrorResult(err);
  }
  revalidatePath(PAGE);
  return ok(undefined);
}

// Step-up: a current authenticator code marks this session as recently verified (10 minutes), for useStepUp().
export async function stepUpAction(code: string): Promise<ActionResult<undefined>> {
  const { user } = await requireUser();
  try {
    await verifyChallenge(user.id, { method: "totp", code }, "step_up", { ip: clientIp(await headers()) });
  } catch (err) {
    return mfaErrorResult(err);
  }
  await updateSessionToken({ stepUpAt: Date.now() });
  return ok(undefined);
}
