// The next-auth-compatible session cookie: issued by our own sign-in, re-issued with changed JWT fields (MFA passed,
// step-up time, a new session version), keeping its original expiry, and deleted at sign-out.
import { cookies } from "next/headers";
import { decode, encode, type JWT } from "next-auth/jwt";
import { db } from "../db";
import { env } from "../env";
import { secureCookies, sessionCookieName, SESSION_MAX_AGE_S } from "./options";

export type SessionPatch = Pick<JWT, "mfa" | "stepUpAt" | "sv">;

// next-auth's own session cookie attributes.
function cookieOptions(expires: Date) {
  return { httpOnly: true, sameSite: "lax" as const, path: "/", secure: secureCookies(), expires };
}

// The new cookie value and attributes (as next-auth sets them) for a patched token; null when the token is missing, invalid or expired.
export async function reissueSessionToken(raw: string | undefined, patch: SessionPatch) {
  if (!raw) return null;
  const secret = env().authSecret;
  const token = await decode({ token: raw, secret }).catch(() => null);
  if (!token?.sub) return null;
  const nowS = Math.floor(Date.now() / 1000);
  const exp = typeof token.exp === "number" ? token.exp : nowS + SESSION_MAX_AGE_S;
  if (exp <= nowS) return null;
  const value = await encode({ token: { ...token, ...patch }, secret, maxAge: exp - nowS });
  return {
    value,
    options: cookieOptions(new Date(exp * 1000)),
  };
}

// Updates the current request's session cookie (server actions only); returns false when there is no valid session.
export async function updateSessionToken(patch: SessionPatch): Promise<boolean> {
  const store = await cookies();
  const name = sessionCookieName();
  const next = await reissueSessionToken(store.get(name)?.value, patch);
  if (!next) return false;
  store.set(name, next.value, next.options);
  return true;
}

// Starts a session for a user who has just proved their password (server actions only): the cookie next-auth would set,
// MFA "pending" until the code passes for an enrolled account.
export async function startSession(user: {
  id: string;
  email: string;
  role: "USER" | "ADMIN";
  sessionVersion: number;
  mfaEnabledAt: Date | null;
}) {
  const token: JWT = {
    sub: user.id,
    email: user.email,
    role: user.role,
    mfa: user.mfaEnabledAt ? "pending" : "none",
    sv: user.sessionVersion,
  };
  const value = await encode({ token, secret: env().authSecret, maxAge: SESSION_MAX_AGE_S });
  (await cookies()).set(sessionCookieName(), value, cookieOptions(new Date(Date.now() + SESSION_MAX_AGE_S * 1000)));
}

// Keeps the acting session alive after its own action bumped the session version (every other session ends): re-issues
// the cookie only when the version is exactly one past the session's, so a concurrent second bump ends this one too.
export async function keepActingSession(
  userId: string,
  previousVersion: number,
  patch: Omit<SessionPatch, "sv"> = {},
): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { sessionVersion: true } });
  if (user?.sessionVersion !== previousVersion + 1) return false;
  return updateSessionToken({ ...patch, sv: user.sessionVersion });
}

// Deletes the current request's session cookie (server actions only).
export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(sessionCookieName());
}
