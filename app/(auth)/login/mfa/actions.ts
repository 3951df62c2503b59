"use server";
// Sign-in challenge server action: checks the pending session's code, then marks the session MFA-verified.
import { headers } from "next/headers";
import { fail, ok, type ActionResult } from "@/lib/actions";
import { getSessionToken } from "@/lib/auth/session";
import { updateSessionToken } from "@/lib/auth/session-cookie";
import { clientIp } from "@/lib/ip/client-ip";
import { mfaErrorResult } from "@/lib/mfa/errors";
import { verifyChallenge } from "@/lib/mfa/service";
import type { MfaCodeInput } from "@/lib/validations/mfa";

const EXPIRED = "Your sign-in has expired. Sign in again.";

// Verifies a TOTP or recovery code for the signed-in-but-pending session; a TOTP code also counts as a step-up.
export async function verifySignInCodeAction(input: MfaCodeInput): Promise<ActionResult<undefined>> {
  const token = await getSessionToken();
  if (!token?.sub) return fail("forbidden", EXPIRED);
  if (token.mfa !== "pending") return ok(undefined);
  let method: "totp" | "recovery";
  try {
    ({ method } = await verifyChallenge(token.sub, input, "sign_in", { ip: clientIp(await headers()) }));
  } catch (err) {
    return mfaErrorResult(err);
  }
  const updated = await updateSessionToken(method === "totp" ? { mfa: "verified", stepUpAt: Date.now() } : { mfa: "verified" });
  return updated ? ok(undefined) : fail("forbidden", EXPIRED);
}
