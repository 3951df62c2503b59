"use server";
// Sign-in, sign-up, sign-out and the sign-in MFA challenge (auth "public": no verified session yet). Each works as a
// plain form post, so the forms work before JavaScript loads.
import { redirect } from "next/navigation";
import { ApiError } from "../errors";
import { authenticate, createAccount, signInError } from "../auth/accounts";
import { safeNextPath } from "../auth/redirects";
import { getSessionToken } from "../auth/session";
import { clearSessionCookie, startSession, updateSessionToken } from "../auth/session-cookie";
import { throttleSignIn, throttleSignUp } from "../auth/throttle";
import { endSessions, sessionUser } from "../auth/session-version";
import { recordAudit } from "../audit";
import { verifyChallenge } from "../mfa/service";
import { forgotPasswordSchema, resetPasswordSchema, signInFormSchema, signUpFormSchema } from "../validations/auth";
import { requestPasswordReset, resetPassword } from "../auth/password-reset";
import { mailEnabled } from "../mail";
import { emptyInputSchema, mfaCodeFormSchema } from "../validations/mfa";
import { z } from "zod";
import { defineAction } from "./define-action";

const EXPIRED = "Your sign-in has expired. Sign in again.";
const RESET_REQUESTED =
  "If an account exists for that email, we sent a link to reset its password. It works for one hour.";

// Signs in from the sign-in form (throttled per client IP): checks the password (lockout, suspension), issues the session cookie, and goes to
// `next` — through the MFA challenge for an enrolled account.
export const signInAction = defineAction(
  { schema: signInFormSchema, auth: "public" },
  async ({ email, password, next }, { ip }) => {
    await throttleSignIn(ip);
    const user = await authenticate(email, password, ip).catch((err: unknown) => {
      throw signInError(err);
    });
    await startSession(user);
    const target = safeNextPath(next);
    redirect(user.mfaEnabledAt ? `/login/mfa?next=${encodeURIComponent(target)}` : target);
  },
);

// Creates an account from the sign-up form (throttled per client IP), signs it in and goes to `next` (an invitation
// page, say) or the dashboard.
export const signUpAction = defineAction(
  { schema: signUpFormSchema, auth: "public" },
  async ({ next, ...input }, { ip }) => {
    await throttleSignUp(ip);
    // The session starts inside the account's transaction: a sign-up that cannot sign in creates nothing.
    await createAccount(input, ip, startSession);
    redirect(safeNextPath(next));
  },
);

// Verifies a TOTP or recovery code for the signed-in-but-pending session, marks it verified (a TOTP code also counts as
// a step-up) and goes on to `next`.
export const verifySignInCodeAction = defineAction(
  { schema: mfaCodeFormSchema.extend({ next: z.string().max(2048).optional() }), auth: "public" },
  async ({ next, ...code }, { ip }) => {
    const token = await getSessionToken();
    // A session ended meanwhile (sign-out, suspension) cannot be completed.
    if (!token?.sub || !(await sessionUser(token))) throw new ApiError("unauthenticated", EXPIRED);
    if (token.mfa === "pending") {
      const { method } = await verifyChallenge(token.sub, code, "sign_in", { ip });
      const updated = await updateSessionToken(
        method === "totp" ? { mfa: "verified", stepUpAt: Date.now() } : { mfa: "verified" },
      );
      if (!updated) throw new ApiError("unauthenticated", EXPIRED);
    }
    redirect(safeNextPath(next));
  },
);

// Signs out: ends the account's sessions (a JWT cannot be recalled one by one, so every session of the account ends),
// deletes the cookie and goes to the sign-in page. Also cancels a sign-in waiting for its MFA code.
export const signOutAction = defineAction({ schema: emptyInputSchema, auth: "public" }, async (_input, { ip }) => {
  const token = await getSessionToken();
  const user = await sessionUser(token);
  if (user) {
    await endSessions(user.id);
    await recordAudit({ userId: user.id, action: "auth.signout", ip });
  }
  await clearSessionCookie();
  redirect("/login");
});

// Sets a new password from a reset link; every session ends, so the user signs in again with it.
export const resetPasswordAction = defineAction(
  { schema: resetPasswordSchema, auth: "public" },
  async ({ token, password }, { ip }) => {
    await resetPassword(token, password, ip);
    redirect("/login?reset=done");
  },
);

// "Forgot password": mails a reset link if the address has an account, and always answers the same.
export const requestPasswordResetAction = defineAction(
  { schema: forgotPasswordSchema, auth: "public" },
  async ({ email }, { ip }) => {
    if (!mailEnabled())
      throw new ApiError(
        "not_found",
        "Password reset by email is not available. Ask an administrator for a reset link.",
      );
    await requestPasswordReset(email, ip);
    return { message: RESET_REQUESTED };
  },
);
