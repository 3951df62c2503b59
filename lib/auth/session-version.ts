// Session versions: every session cookie carries its account's sessionVersion (sv); bumping the version ends every
// session issued before, since a JWT cannot be recalled.
import type { JWT } from "next-auth/jwt";
import { db } from "../db";
import type { User } from "../generated/prisma/client";
import { ssoRequiredDomain } from "../sso/domains";

// Ends every session of the account issued so far; returns the new version (for re-issuing the acting session).
export async function endSessions(userId: string, client: Pick<typeof db, "user"> = db): Promise<number> {
  const { sessionVersion } = await client.user.update({
    where: { id: userId },
    data: { sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return sessionVersion;
}

// The account behind a session token while that session is still valid: the account exists, is not suspended, the
// token's version is current (tokens from before versions existed count as version 0), an SSO session is within
// SSO_SESSION_MAX_AGE, and a password session's domain does not require SSO (turning it on ends those sessions).
export async function sessionUser(token: Pick<JWT, "sub" | "sv" | "sso" | "ssoExp"> | null): Promise<User | null> {
  if (!token?.sub) return null;
  if (token.sso && (typeof token.ssoExp !== "number" || token.ssoExp * 1000 <= Date.now())) return null;
  const user = await db.user.findUnique({ where: { id: token.sub } });
  if (!user || user.suspendedAt || (token.sv ?? 0) !== user.sessionVersion) return null;
  if (!token.sso && (await ssoRequiredDomain(user.email))) return null;
  return user;
}
