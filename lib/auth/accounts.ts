// Accounts: sign-up (first account is ADMIN), password sign-in with a per-email lockout.
import { ApiError } from "../api/errors";
import { db } from "../db";
import { recordAudit } from "../audit";
import { randomBase62 } from "../random";
import { signUpSchema, type SignUpInput } from "../validations/auth";
import { hashPassword, verifyPassword } from "./password";

export const SIGNIN_MAX_FAILURES = 10;
export const SIGNIN_WINDOW_MS = 15 * 60 * 1000;

// A fixed hash to verify against for unknown emails, so response time does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;

// Creates an account; the first account ever created becomes ADMIN.
export async function createAccount(input: SignUpInput, ip: string | null) {
  const { email, password } = signUpSchema.parse(input);
  const passwordHash = await hashPassword(password);
  const user = await db.$transaction(async (tx) => {
    // Serialises sign-ups so two concurrent first sign-ups cannot both become ADMIN.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(727274)`;
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
      throw new ApiError("invalid_request", "An account with this email already exists", "email", "email_taken");
    }
    const isFirst = (await tx.user.count()) === 0;
    return tx.user.create({
      data: { email, passwordHash, role: isFirst ? "ADMIN" : "USER", clientId: `kh_client_${randomBase62(24)}` },
    });
  });
  await recordAudit({ userId: user.id, action: "auth.signup", ip });
  return user;
}

// When the email is locked out, the time the lock ends; otherwise null.
export async function signInLockedUntil(email: string, now = new Date()): Promise<Date | null> {
  const recent = await db.signInFailure.findMany({
    where: { email, createdAt: { gt: new Date(now.getTime() - SIGNIN_WINDOW_MS) } },
    orderBy: { createdAt: "desc" },
    take: SIGNIN_MAX_FAILURES,
    select: { createdAt: true },
  });
  if (recent.length < SIGNIN_MAX_FAILURES) return null;
  return new Date(recent[0].createdAt.getTime() + SIGNIN_WINDOW_MS);
}

// Checks email and password; records failures and refuses a locked-out email. Returns the user.
export async function authenticate(rawEmail: string, password: string, ip: string | null) {
  const email = rawEmail.trim().toLowerCase();
  const lockedUntil = await signInLockedUntil(email);
  if (lockedUntil) {
    const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - Date.now()) / 60000));
    const user = await db.user.findUnique({ where: { email }, select: { id: true } });
    await recordAudit({ userId: user?.id ?? null, action: "auth.signin_locked", ip, metadata: { email } });
    throw new ApiError("locked", `Too many failed sign-ins for this email. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
  }
  const user = await db.user.findUnique({ where: { email } });
  dummyHash ??= hashPassword("keyhold-timing-equaliser");
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
  if (!user || !ok) {
    await db.signInFailure.create({ data: { email, ip } });
    await recordAudit({ userId: user?.id ?? null, action: "auth.signin_failed", ip, metadata: { email } });
    throw new ApiError("unauthenticated", "Invalid email or password", undefined, "invalid_credentials");
  }
  await db.signInFailure.deleteMany({ where: { email } });
  await recordAudit({ userId: user.id, action: "auth.signin", ip });
  return user;
}
