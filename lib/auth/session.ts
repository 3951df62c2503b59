// Server-side session checks for layouts, pages and server actions: requireUser(), requireAdmin().
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { decode, type JWT } from "next-auth/jwt";
import { db } from "../db";
import { env } from "../env";
import { sessionCookieName } from "./options";

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

// The signed-in user (fresh from the database) and their token, or null.
export async function getCurrentUser() {
  const token = await getSessionToken();
  if (!token?.sub || token.mfa === "pending") return null;
  const user = await db.user.findUnique({ where: { id: token.sub } });
  return user ? { user, token } : null;
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
