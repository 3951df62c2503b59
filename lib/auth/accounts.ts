// Accounts: sign-up (first account is ADMIN), password sign-in with a per-email lockout.
import { ApiError, toApiError } from "../errors";
import { db } from "../db";
import { recordAudit } from "../audit";
import { env } from "../env";
import { createPersonalOrganization } from "../orgs/organizations";
import { ssoRequiredDomain } from "../sso/domains";
import { signInSchema, signUpSchema, type SignUpInput } from "../validations/auth";
import { fieldErrors } from "../validations/field-errors";
import type { Prisma, User } from "../generated/prisma/client";
import { hashPassword, verifyPassword } from "./password";
import { advisoryLock } from "../advisory-locks";

export const SIGNIN_MAX_FAILURES = 10;
const SIGNIN_WINDOW_MS = 15 * 60 * 1000;

// A fixed hash to verify against for unknown emails, so response time does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;

const emailTaken = () =>
  new ApiError("invalid_request", "An account with this email already exists", "email", "email_taken");

export const SIGNUP_DISABLED =
  "Sign-up is closed on this Keyhold. Ask an administrator for an invitation, or sign in with single sign-on.";

// Whether self sign-up may create an account for this email: always, unless AUTH_DISABLE_SIGNUP; then only for an
// email with a pending invitation (accounts come from invitations, SSO or the instance administrator).
export async function signUpAllowed(email: string, now = new Date()): Promise<boolean> {
  if (!env().AUTH_DISABLE_SIGNUP) return true;
  const invitation = await db.invitation.findFirst({
    where: { email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true },
  });
  return invitation !== null;
}

// Inserts an account with its personal organization (passwordHash null: an SSO account); the first account ever
// created becomes ADMIN. Refuses a taken email. `andThen` runs inside the same transaction, last: if it throws,
// nothing is created, so a sign-up either completes or leaves nothing behind that a retry would collide with.
export async function insertAccount(
  email: string,
  passwordHash: string | null,
  andThen: (tx: Prisma.TransactionClient, user: User) => Promise<void> = async () => {},
): Promise<User> {
  return db.$transaction(async (tx) => {
    // Serialises sign-ups so two concurrent first sign-ups cannot both become ADMIN.
    await advisoryLock(tx, "signUp");
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
      throw emailTaken();
    }
    const isFirst = (await tx.user.count()) === 0;
    const created = await tx.user.create({ data: { email, passwordHash, role: isFirst ? "ADMIN" : "USER" } });
    // Every account starts with a personal organization it owns, opened by /dashboard.
    const org = await createPersonalOrganization(tx, created);
    const user = await tx.user.update({ where: { id: created.id }, data: { lastOrganizationId: org.id } });
    await andThen(tx, user);
    return user;
  });
}

// Creates an account from the sign-up form (refused when sign-up is closed to this email) with its audit row;
// `andThen` (sign-up: starting the session) runs inside the account's transaction, last.
export async function createAccount(
  input: SignUpInput,
  ip: string | null,
  andThen: (user: User) => Promise<void> = async () => {},
) {
  const { email, password } = signUpSchema.parse(input);
  if (!(await signUpAllowed(email))) throw new ApiError("forbidden", SIGNUP_DISABLED, undefined, "signup_disabled");
  // A taken email is refused before the costly hash (the transaction checks again under its lock).
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();
  return insertAccount(email, await hashPassword(password), async (tx, user) => {
    await recordAudit({ userId: user.id, action: "auth.signup", ip }, tx);
    await andThen(user);
  });
}

const SSO_REQUIRED = (domain: string) =>
  `Accounts at ${domain} sign in with single sign-on: use your identity provider's button below.`;

export const SUSPENDED_MESSAGE = "This account is suspended. Contact your administrator.";
export const SIGNIN_UNAVAILABLE = "Sign-in is temporarily unavailable. Try again shortly.";

// Sign-in's answer for any error: its own refusals (invalid input, wrong password, locked, suspended) as they are;
// anything else is logged by toApiError and answered with one generic message, never the detail.
export function signInError(err: unknown): ApiError {
  const apiError = toApiError(err, "sign-in");
  return apiError.status >= 500 ? new ApiError("service_unavailable", SIGNIN_UNAVAILABLE) : apiError;
}

// When the email is locked out, the time the lock ends; otherwise null.
async function signInLockedUntil(
  email: string,
  now = new Date(),
  client: Pick<typeof db, "signInFailure"> = db,
): Promise<Date | null> {
  const recent = await client.signInFailure.findMany({
    where: { email, createdAt: { gt: new Date(now.getTime() - SIGNIN_WINDOW_MS) } },
    orderBy: { createdAt: "desc" },
    take: SIGNIN_MAX_FAILURES,
    select: { createdAt: true },
  });
  if (recent.length < SIGNIN_MAX_FAILURES) return null;
  return new Date(recent[0].createdAt.getTime() + SIGNIN_WINDOW_MS);
}

// Claims one attempt for the email before any password is checked: under a per-email transaction lock, refuses a locked
// email or records the attempt as a failure up front, so a burst of concurrent guesses cannot outrun the lockout.
async function claimAttempt(email: string, ip: string | null): Promise<{ claimId: string } | { lockedUntil: Date }> {
  return db.$transaction(async (tx) => {
    await advisoryLock(tx, "signInAttempt", email);
    const lockedUntil = await signInLockedUntil(email, new Date(), tx);
    if (lockedUntil) return { lockedUntil };
    const claim = await tx.signInFailure.create({ data: { email, ip }, select: { id: true } });
    return { claimId: claim.id };
  });
}

// Checks an email's password under the lockout (the attempt is claimed first); returns the user, suspended or not.
async function checkPassword(email: string, password: string, ip: string | null): Promise<User> {
  const claim = await claimAttempt(email, ip);
  if ("lockedUntil" in claim) {
    const minutes = Math.max(1, Math.ceil((claim.lockedUntil.getTime() - Date.now()) / 60000));
    const user = await db.user.findUnique({ where: { email }, select: { id: true } });
    await recordAudit({ userId: user?.id ?? null, action: "auth.signin_locked", ip, metadata: { email } });
    throw new ApiError(
      "locked",
      `Too many failed sign-ins for this email. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    );
  }
  const user = await db.user.findUnique({ where: { email } });
  dummyHash ??= hashPassword("keyhold-timing-equaliser");
  // An SSO account has no password: it is checked against the dummy hash like an unknown email, and always fails.
  const ok = (await verifyPassword(user?.passwordHash ?? (await dummyHash), password)) && !!user?.passwordHash;
  if (!user || !ok) {
    // The claimed attempt stays recorded as this failure.
    await recordAudit({ userId: user?.id ?? null, action: "auth.signin_failed", ip, metadata: { email } });
    throw new ApiError("unauthenticated", "Invalid email or password", undefined, "invalid_credentials");
  }
  // The right password: this attempt and earlier failures no longer count against the email.
  await db.signInFailure.deleteMany({ where: { email } });
  return user;
}

// Checks email and password (refusing locked-out emails and suspended accounts); returns the user.
export async function authenticate(rawEmail: string, password: string, ip: string | null): Promise<User> {
  const parsed = signInSchema.safeParse({ email: rawEmail, password });
  if (!parsed.success) {
    const [field, message] = Object.entries(fieldErrors(parsed.error))[0];
    throw new ApiError("invalid_request", message, field);
  }
  // A domain whose organization requires single sign-on signs in through its identity provider only.
  const required = await ssoRequiredDomain(parsed.data.email);
  if (required) {
    await recordAudit({ userId: null, action: "auth.signin_sso_required", ip, metadata: { email: parsed.data.email } });
    throw new ApiError("forbidden", SSO_REQUIRED(required), "email", "sso_required");
  }
  const user = await checkPassword(parsed.data.email, parsed.data.password, ip);
  if (user.suspendedAt) {
    await recordAudit({ userId: user.id, action: "auth.signin_suspended", ip });
    throw new ApiError("account_suspended", SUSPENDED_MESSAGE);
  }
  await recordAudit({ userId: user.id, action: "auth.signin", ip });
  return user;
}

// Sets a new password, ends every session of the account and clears its sign-in failures; returns the new session version.
export async function setPassword(userId: string, password: string): Promise<number> {
  const passwordHash = await hashPassword(password);
  const { email, sessionVersion } = await db.user.update({
    where: { id: userId },
    data: { passwordHash, sessionVersion: { increment: 1 } },
    select: { email: true, sessionVersion: true },
  });
  await db.signInFailure.deleteMany({ where: { email } });
  return sessionVersion;
}

// Changes the password after checking the current one (wrong guesses count towards the sign-in lockout); audited.
// Returns the new session version, so the caller can keep its own session while every other one ends.
export async function changePassword(
  userId: string,
  input: { currentPassword: string; password: string },
  ip: string | null,
): Promise<number> {
  const { email } = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  try {
    await checkPassword(email, input.currentPassword, ip);
  } catch (err) {
    if (err instanceof ApiError && err.reason === "invalid_credentials") {
      throw new ApiError("invalid_request", "Current password is incorrect", "currentPassword", "wrong_password");
    }
    throw err;
  }
  const sessionVersion = await setPassword(userId, input.password);
  await recordAudit({ userId, action: "auth.password_changed", ip });
  return sessionVersion;
}
