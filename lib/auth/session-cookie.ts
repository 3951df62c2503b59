// Re-issues the next-auth session cookie with changed JWT fields (MFA passed, step-up time), keeping its original expiry.
import { cookies } from "next/headers";
import { decode, encode, type JWT } from "next-auth/jwt";
import { env } from "../env";
import { secureCookies, sessionCookieName, SESSION_MAX_AGE_S } from "./options";

export type SessionPatch = Pick<JWT, "mfa" | "stepUpAt">;

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
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure: secureCookies(), expires: new Date(exp * 1000) },
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
