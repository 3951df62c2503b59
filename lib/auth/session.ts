// Server-side session checks for layouts, pages and server actions: requireUser(), requireAdmin().
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { decode, type JWT } from "next-auth/jwt";
import { env } from "../env";
import { sessionCookieName } from "./options";
import { sessionUser } from "./session-version";

// The decoded session token of the current request, or null when signed out or invalid.
export async function getSessionToken(): Promise<JWT | null> {
  const raw = (await cookies()).get(sessionCookieName())?.value;
  if (!raw) return null;
  try {
    return await decode({ token: raw, secret: env().authSecret });
  } catch {
    return null;
  }
}

// The signed-in user (fresh from the database) and their token, or null: also for a session ended by sign-out, a
// password change or suspension (its version is stale), and for a session still waiting for its MFA code.
export async function getCurrentUser() {
  const token = await getSessionToken();
  if (!token?.sub || token.mfa === "pending") return null;
  const user = await sessionUser(token);
  return user ? { user, token } : null;
}

// The token of a live session still waiting for its MFA code, or null (signed out, ended, or already verified).
export async function getPendingSession(): Promise<JWT | null> {
  const token = await getSessionToken();
  if (token?.mfa !== "pending") return null;
  return (await sessionUser(token)) ? token : null;
}

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof getCurrentUser>>>;

// The signed-in user; anonymous requests are sent to the sign-in page.
export async function requireUser(next = "/dashboard"): Promise<CurrentUser> {
  const current = await getCurrentUser();
  if (!current) redirect(`/login?next=${encodeURIComponent(next)}`);
  return current;
}

// The signed-in administrator; anyone else gets 404 so the admin area is not revealed.
export async function requireAdmin(): Promise<CurrentUser> {
  const current = await requireUser("/admin");
  if (current.user.role !== "ADMIN") notFound();
  return current;
}
