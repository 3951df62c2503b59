// Optimistic redirect for signed-out visitors of /dashboard, /admin and /cli; layouts and actions check again on the server.
import { NextResponse, type NextRequest } from "next/server";
import { getToken } from "next-auth/jwt";
import { env } from "./lib/env";
import { secureCookies } from "./lib/auth/options";

export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: env().authSecret, secureCookie: secureCookies() });
  const next = request.nextUrl.pathname + request.nextUrl.search;
  if (!token) return NextResponse.redirect(new URL(`/login?next=${encodeURIComponent(next)}`, request.url));
  if (token.mfa === "pending")
    return NextResponse.redirect(new URL(`/login/mfa?next=${encodeURIComponent(next)}`, request.url));
  return NextResponse.next();
}

export const config = { matcher: ["/dashboard", "/dashboard/:path*", "/admin", "/admin/:path*", "/cli/:path*"] };
