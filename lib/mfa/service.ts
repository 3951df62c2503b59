// The TOTP factor's life cycle: enrolment, confirmation, challenges (sign-in and step-up), recovery codes, lockout, disabling.
import { z } from "zod";
import { recordAudit } from "../audit";
import { verifyPassword } from "../auth/password";
import { db } from "../db";
import { Prisma, type User } from "../generated/prisma/client";
import {
  disableMfaSchema,
  mfaCodeSchema,
  totpCodeSchema,
  type DisableMfaInput,
  type MfaCodeInput,
} from "../validations/mfa";
import { decryptSecret, encryptSecret, SecretBoxError } from "../secret-box";
import type { ApiError } from "../errors";
import { mfaError } from "./errors";
import { generateRecoveryCodes, hashRecoveryCode } from "./recovery";
import { checkTotp, createTotpSecret, totpUri, type TotpCheck } from "./totp";

const MFA_MAX_FAILURES = 5;
export const MFA_LOCK_MS = 15 * 60 * 1000;

// What a code is being checked for: sign-in and disabling also accept recovery codes; step-up and regeneration need the app.
export type MfaPurpose = "sign_in" | "step_up" | "disable" | "regenerate";

export interface MfaContext {
  ip?: string | null;
  now?: Date;
}

type FailureReason = Exclude<TotpCheck, { ok: true }>["reason"] | "wrong_password";

// The account's MFA state for the security page.
export async function getMfaStatus(userId: string, now = new Date()) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const recoveryCodesRemaining = user.mfaEnabledAt
    ? await db.recoveryCode.count({ where: { userId, usedAt: null } })
    : 0;
  return {
    enabledAt: user.mfaEnabledAt,
    pending: !user.mfaEnabledAt && user.mfaSecretEnc !== null,
    recoveryCodesRemaining,
    lockedUntil: user.mfaLockedUntil && user.mfaLockedUntil > now ? user.mfaLockedUntil : null,
  };
}

// Starts (or restarts) enrolment: a new secret stored encrypted, not active until confirmed.
export async function startEnrolment(userId: string): Promise<{ secret: string; uri: string }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  if (user.mfaEnabledAt) throw mfaError("already_enabled", "Two-factor authentication is already on.");
  const secret = createTotpSecret();
  await db.user.update({
    where: { id: userId },
    data: { mfaSecretEnc: encryptSecret(secret), mfaLastStep: null, mfaFailedCount: 0, mfaLockedUntil: null },
  });
  return { secret, uri: totpUri(secret, user.email) };
}

// The pending enrolment's secret and URI (shown while the user sets up the app), or null.
export async function getPendingEnrolment(userId: string): Promise<{ secret: string; uri: string } | null> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  if (user.mfaEnabledAt || !user.mfaSecretEnc) return null;
  try {
    const secret = decryptSecret(user.mfaSecretEnc);
    return { secret, uri: totpUri(secret, user.email) };
  } catch (err) {
    // Encrypted under a previous key: the page offers a fresh set-up instead.
    if (err instanceof SecretBoxError) return null;
    throw err;
  }
}

// Abandons a pending enrolment.
export async function cancelEnrolment(userId: string): Promise<void> {
  await db.user.updateMany({
    where: { id: userId, mfaEnabledAt: null },
    data: { mfaSecretEnc: null, mfaLastStep: null },
  });
}

// Confirms enrolment with a first code; turns MFA on and returns the recovery codes (the only time they are readable).
export async function confirmEnrolment(userId: string, rawCode: unknown, ctx: MfaContext = {}): Promise<string[]> {
  const code = parseOrThrow(totpCodeSchema, rawCode, "code");
  const now = ctx.now ?? new Date();
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  if (user.mfaEnabledAt) throw mfaError("already_enabled", "Two-factor authentication is already on.");
  if (!user.mfaSecretEnc)
    throw mfaError("no_pending_enrolment", "Start the set-up again: no authenticator is waiting for confirmation.");
  const check = checkTotp(readSecret(user.mfaSecretEnc), code, { now: now.getTime(), lastStep: user.mfaLastStep });
  if (!check.ok) throw codeError(check.reason, "totp");
  const codes = generateRecoveryCodes();
  await db.$transaction(async (tx) => {
    const enabled = await tx.user.updateMany({
      where: { id: userId, mfaEnabledAt: null, mfaSecretEnc: user.mfaSecretEnc },
      // A new factor ends every session signed in without it (sessionVersion).
      data: {
        mfaEnabledAt: now,
        mfaLastStep: check.step,
        mfaFailedCount: 0,
        mfaLockedUntil: null,
        sessionVersion: { increment: 1 },
      },
    });
    if (enabled.count !== 1)
      throw mfaError("no_pending_enrolment", "The set-up changed in another window. Start again.");
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(userId, c) })) });
  });
  await recordAudit({ userId, action: "mfa.enabled", ip: ctx.ip });
  return codes;
}

// Checks a sign-in or step-up code (lockout, replay and one-time recovery codes included); throws an ApiError when refused.
export async function verifyChallenge(
  userId: string,
  input: MfaCodeInput,
  purpose: "sign_in" | "step_up",
  ctx: MfaContext = {},
): Promise<{ method: "totp" | "recovery" }> {
  return verifyFactor(await enrolledUser(userId, ctx), input, purpose, ctx);
}

// Turns MFA off after checking the password and a current code or a recovery code (that fresh code is the step-up).
export async function disableMfa(userId: string, input: DisableMfaInput, ctx: MfaContext = {}): Promise<void> {
  const user = await enrolledUser(userId, ctx);
  const { password } = parseOrThrow(disableMfaSchema, input, "password");
  // The password and the code are one attempt: a wrong password counts towards the lockout as a wrong code does.
  const { method } = await verifyFactor(user, input, "disable", ctx, password);
  await db.$transaction([
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.user.update({
      where: { id: userId },
      // Ends every session (sessionVersion): the acting one is re-issued by the caller.
      data: {
        mfaSecretEnc: null,
        mfaEnabledAt: null,
        mfaLastStep: null,
        mfaFailedCount: 0,
        mfaLockedUntil: null,
        sessionVersion: { increment: 1 },
      },
    }),
  ]);
  await recordAudit({ userId, action: "mfa.disabled", ip: ctx.ip, metadata: { method } });
}

// Replaces all recovery codes after a current authenticator code; returns the new codes (readable only now).
export async function regenerateRecoveryCodes(
  userId: string,
  input: MfaCodeInput,
  ctx: MfaContext = {},
): Promise<string[]> {
  await verifyFactor(await enrolledUser(userId, ctx), input, "regenerate", ctx);
  const codes = generateRecoveryCodes();
  await db.$transaction([
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(userId, c) })) }),
  ]);
  await recordAudit({ userId, action: "mfa.recovery_regenerated", ip: ctx.ip });
  return codes;
}

// The enrolled user; refuses accounts without MFA and locked factors (a locked factor refuses every input, well-formed or
// not). The claim checks both again, atomically.
async function enrolledUser(userId: string, ctx: MfaContext): Promise<User> {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user?.mfaEnabledAt || !user.mfaSecretEnc) {
    throw mfaError("not_enrolled", "Two-factor authentication is not turned on for this account.");
  }
  const now = ctx.now ?? new Date();
  if (user.mfaLockedUntil && user.mfaLockedUntil > now) throw lockedError(user.mfaLockedUntil, now);
  return user;
}

// Validates the code's shape for the purpose; malformed input is refused without counting as a failed attempt.
function parseCode(input: MfaCodeInput, purpose: MfaPurpose) {
  const code = parseOrThrow(mfaCodeSchema, input, "code");
  if (code.method === "recovery" && (purpose === "step_up" || purpose === "regenerate")) {
    throw mfaError(
      "invalid_input",
      "Enter the 6-digit code from your authenticator app (recovery codes are not accepted here)",
      "code",
    );
  }
  return code;
}

// One claimed attempt: the factor as the claim left it, which attempt this is, and the lock it set (at the limit).
interface Claim {
  user: Pick<User, "id" | "passwordHash" | "mfaSecretEnc" | "mfaLastStep">;
  attempt: number;
  locksUntil: Date | null;
}

// A timestamp(3) from epoch milliseconds, computed by the database in whole milliseconds (no time zone involved).
const sqlTime = (ms: number) => Prisma.sql`(TIMESTAMP '1970-01-01' + ${String(ms)}::bigint * INTERVAL '1 millisecond')`;

// Claims one attempt before any code is checked: one UPDATE, serialised per user by the row lock it takes (so it holds
// across processes on PostgreSQL, without holding a pooled connection while waiting), refuses a locked factor or counts
// the attempt as a failure up front, and locks the factor when it is the last one allowed. A burst of concurrent codes
// thus gets at most MFA_MAX_FAILURES checks.
async function claimAttempt(userId: string, now: Date): Promise<Claim> {
  const locksUntil = new Date(now.getTime() + MFA_LOCK_MS);
  // In SET every column reads its value before the update; RETURNING reads the values after it.
  const rows = await db.$queryRaw<(Claim["user"] & { mfaFailedCount: number })[]>`
    UPDATE "User" SET
      "mfaFailedCount" = CASE WHEN "mfaFailedCount" + 1 >= ${MFA_MAX_FAILURES} THEN 0 ELSE "mfaFailedCount" + 1 END,
      "mfaLockedUntil" = CASE WHEN "mfaFailedCount" + 1 >= ${MFA_MAX_FAILURES} THEN ${sqlTime(locksUntil.getTime())}
                         ELSE "mfaLockedUntil" END
    WHERE "id" = ${userId} AND "mfaEnabledAt" IS NOT NULL AND "mfaSecretEnc" IS NOT NULL
      AND ("mfaLockedUntil" IS NULL OR "mfaLockedUntil" <= ${sqlTime(now.getTime())})
    RETURNING "id", "passwordHash", "mfaSecretEnc", "mfaLastStep", "mfaFailedCount"`;
  const claimed = rows[0];
  if (!claimed) {
    // Not claimed: say why (the factor was locked or turned off meanwhile).
    await enrolledUser(userId, { now });
    throw lockedError(locksUntil, now);
  }
  const { mfaFailedCount, ...user } = claimed;
  // The count starts again only when this attempt set the lock.
  return mfaFailedCount === 0
    ? { user, attempt: MFA_MAX_FAILURES, locksUntil }
    : { user, attempt: mfaFailedCount, locksUntil: null };
}

// What a successful attempt writes: the failure count starts again, and the lock its own claim set is lifted.
function successData(claim: Claim) {
  return claim.locksUntil ? { mfaFailedCount: 0, mfaLockedUntil: null } : { mfaFailedCount: 0 };
}

// Checks a code (and, to disable, the password) as one claimed attempt; success resets the failure counter, failure
// leaves the claimed attempt counted.
async function verifyFactor(
  before: User,
  input: MfaCodeInput,
  purpose: MfaPurpose,
  ctx: MfaContext,
  password?: string,
): Promise<{ method: "totp" | "recovery" }> {
  const { method, code } = parseCode(input, purpose);
  const now = ctx.now ?? new Date();
  const userId = before.id;
  // An unreadable secret is the server's fault: refused before an attempt is counted.
  if (method === "totp") readSecret(before.mfaSecretEnc!);
  const claim = await claimAttempt(userId, now);
  if (
    password !== undefined &&
    (claim.user.passwordHash === null || !(await verifyPassword(claim.user.passwordHash, password)))
  ) {
    return recordFailure(claim, purpose, "wrong_password", "password", ctx);
  }
  if (method === "recovery") {
    const row = await db.recoveryCode.findFirst({
      where: { userId, codeHash: hashRecoveryCode(userId, code), usedAt: null },
    });
    const used = row
      ? await db.recoveryCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } })
      : { count: 0 };
    if (used.count !== 1) return recordFailure(claim, purpose, "invalid", "recovery", ctx);
    await db.user.update({ where: { id: userId }, data: successData(claim) });
    const remaining = await db.recoveryCode.count({ where: { userId, usedAt: null } });
    await recordAudit({ userId, action: "mfa.recovery_used", ip: ctx.ip, metadata: { purpose, remaining } });
    return { method };
  }
  const check = checkTotp(readSecret(claim.user.mfaSecretEnc!), code, {
    now: now.getTime(),
    lastStep: claim.user.mfaLastStep,
  });
  if (!check.ok) return recordFailure(claim, purpose, check.reason, "totp", ctx);
  // Claims the step atomically, so two concurrent requests cannot both spend the same code.
  const spent = await db.user.updateMany({
    where: { id: userId, OR: [{ mfaLastStep: null }, { mfaLastStep: { lt: check.step } }] },
    data: { mfaLastStep: check.step, ...successData(claim) },
  });
  if (spent.count !== 1) return recordFailure(claim, purpose, "reused", "totp", ctx);
  return { method };
}

// Audits a failed attempt (already counted by its claim), and the lock when this attempt was the last one allowed;
// throws the matching ApiError.
async function recordFailure(
  claim: Claim,
  purpose: MfaPurpose,
  reason: FailureReason,
  method: "totp" | "recovery" | "password",
  ctx: MfaContext,
): Promise<never> {
  const now = ctx.now ?? new Date();
  const userId = claim.user.id;
  await recordAudit({ userId, action: "mfa.code_failed", ip: ctx.ip, metadata: { purpose, method, reason } });
  if (claim.locksUntil) {
    const until = claim.locksUntil;
    await recordAudit({ userId, action: "mfa.locked", ip: ctx.ip, metadata: { purpose, until: until.toISOString() } });
    throw lockedError(until, now);
  }
  const left = MFA_MAX_FAILURES - claim.attempt;
  const warning = ` ${left} attempt${left === 1 ? "" : "s"} left before two-factor authentication is locked for 15 minutes.`;
  if (reason === "wrong_password") throw mfaError("wrong_password", `Incorrect password.${warning}`, "password");
  throw codeError(reason, method === "recovery" ? "recovery" : "totp", warning);
}

// The decrypted TOTP secret; a secret encrypted under another key (MFA_ENCRYPTION_KEY or NEXTAUTH_SECRET changed) is a clear error.
function readSecret(encrypted: string): string {
  try {
    return decryptSecret(encrypted);
  } catch (err) {
    if (!(err instanceof SecretBoxError)) throw err;
    throw mfaError(
      "secret_unreadable",
      "Your authenticator can't be checked because the server's encryption key changed. Use a recovery code, then set up two-factor authentication again.",
    );
  }
}

// The message for a refused code.
function codeError(
  reason: Exclude<FailureReason, "wrong_password">,
  method: "totp" | "recovery",
  suffix = "",
): ApiError {
  if (method === "recovery")
    return mfaError("invalid_code", `That recovery code is not valid or has already been used.${suffix}`, "code");
  if (reason === "expired")
    return mfaError(
      "expired_code",
      `That code has expired. Enter the current code from your authenticator app.${suffix}`,
      "code",
    );
  if (reason === "reused")
    return mfaError(
      "reused_code",
      `That code has already been used. Wait for your authenticator app to show a new one.${suffix}`,
      "code",
    );
  return mfaError("invalid_code", `That code is incorrect.${suffix}`, "code");
}

// The lockout error, saying when the factor unlocks.
function lockedError(until: Date, now: Date): ApiError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60000));
  const at = until.toISOString().slice(11, 16);
  return mfaError(
    "locked",
    `Too many incorrect codes. Two-factor authentication is locked until ${at} UTC (in ${minutes} minute${minutes === 1 ? "" : "s"}).`,
  );
}

// Parses with a schema; the first problem becomes an invalid_input ApiError on its field (else on `field`).
function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, field: "code" | "password"): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = issue?.path[0] === "code" || issue?.path[0] === "password" ? issue.path[0] : field;
  throw mfaError("invalid_input", issue?.message ?? "Invalid input", at);
}
