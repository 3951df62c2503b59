// One-time password-reset links: issued by an instance administrator (shown once) or mailed on request when SMTP is
// configured. The token (32 random bytes) is stored only as its SHA-256; a link works once, for one hour, and a newer
// link for the same account replaces older ones. Using it sets the password and ends every session.
import { ApiError } from "../errors";
import { recordAudit } from "../audit";
import { db } from "../db";
import { hashLinkToken as hashToken, newLinkToken, publicUrl } from "../link-tokens";
import { sendMail } from "../mail";
import { workQueue } from "../work-queue";
import { setPassword } from "./accounts";
import { throttleResetRequest } from "./throttle";

export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
export const RESET_LINK_INVALID = "This reset link is invalid, expired or already used. Ask for a new one.";

// The page a token opens, on the dashboard's public URL.
export function resetUrl(token: string): string {
  return publicUrl(`/reset-password/${token}`);
}

// A new token for the account; older unused ones are deleted so only the newest link works.
async function createResetToken(userId: string, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = newLinkToken();
  const expiresAt = new Date(now.getTime() + RESET_TOKEN_TTL_MS);
  await db.$transaction([
    db.passwordResetToken.deleteMany({ where: { userId } }),
    db.passwordResetToken.create({ data: { userId, tokenHash: hashToken(token), expiresAt } }),
  ]);
  return { token, expiresAt };
}

// An administrator issues a reset link for an account (audited); the link is returned to be shown once.
export async function issueResetLink(
  actor: { id: string; role: string },
  userId: string,
  ip: string | null,
  now = new Date(),
) {
  if (actor.role !== "ADMIN") throw new ApiError("forbidden", "Only administrators can do this");
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!user) throw new ApiError("not_found", "No such account");
  const { token, expiresAt } = await createResetToken(userId, now);
  await recordAudit({ userId, actorId: actor.id, action: "auth.password_reset_issued", ip });
  return { url: resetUrl(token), expiresAt };
}

type ResetRequest = { email: string; ip: string | null; now: Date };

// The account's side of a reset request, after the answer: a link mailed when the address belongs to an active account.
const resetRequests = workQueue<ResetRequest>("password-reset-requests", async ({ email, ip, now }) => {
  const user = await db.user.findUnique({ where: { email }, select: { id: true, suspendedAt: true } });
  if (!user || user.suspendedAt) return;
  const { token } = await createResetToken(user.id, now);
  sendMail({
    to: email,
    subject: "Reset your Keyhold password",
    text: `Someone (hopefully you) asked to reset the password of your Keyhold account.\n\nOpen this link within one hour to choose a new password:\n${resetUrl(token)}\n\nIf you did not ask for this, ignore this mail: your password stays as it is.\n`,
  });
  await recordAudit({ userId: user.id, action: "auth.password_reset_requested", ip });
});

// "Forgot password": throttled per client IP (refused) and per address (silently not sent again), then queued; the
// lookup, the link and the mail happen after the answer, so an existing address and an unknown one cost the request the
// same work and time (the caller always answers the same).
export async function requestPasswordReset(email: string, ip: string | null, now = new Date()): Promise<void> {
  try {
    await throttleResetRequest(ip, email);
  } catch (err) {
    if (err instanceof ApiError && err.message.includes("for this address")) return;
    throw err;
  }
  resetRequests.push({ email, ip, now });
}

// Resolves once every queued reset request has been handled and its mail handed over (in tests; at shutdown too).
export function passwordResetsIdle(): Promise<void> {
  return resetRequests.idle();
}

// Sets a new password with a reset token: single use, within its hour; ends every session of the account (audited).
export async function resetPassword(
  token: string,
  password: string,
  ip: string | null,
  now = new Date(),
): Promise<void> {
  const row = await db.passwordResetToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.usedAt || row.expiresAt <= now)
    throw new ApiError("invalid_request", RESET_LINK_INVALID, "token", "invalid_token");
  // Claims the token atomically, so two concurrent submissions cannot both use it.
  const claimed = await db.passwordResetToken.updateMany({
    where: { id: row.id, usedAt: null },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) throw new ApiError("invalid_request", RESET_LINK_INVALID, "token", "invalid_token");
  await setPassword(row.userId, password);
  await recordAudit({ userId: row.userId, action: "auth.password_reset", ip });
}
