// next-auth endpoints (sign-in, sign-out, session, CSRF).
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { errorJson, errorResponse } from "@/lib/api/responses";
import { authOptions, callbackUrlCookieName, secureCookies } from "@/lib/auth/options";

type Context = { params: Promise<{ nextauth: string[] }> };

const ACTIONS = new Set([
  "providers",
  "session",
  "csrf",
  "signin",
  "signout",
  "callback",
  "verify-request",
  "error",
  "_log",
]);

// next-auth's own check of callbackUrl: an http(s) URL, or a path on this origin.
function isHttpUrl(value: string, base: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? base : undefined).protocol);
  } catch {
    return false;
  }
}

// next-auth answers an unknown action, an invalid callbackUrl or callback-url cookie with 500 and throws on a malformed
// JSON body; those are the caller's mistakes, answered 4xx here before next-auth sees them.
async function handler(req: NextRequest, context: Context) {
  try {
    const action = (await context.params).nextauth?.[0];
    if (!action || !ACTIONS.has(action)) return errorJson("not_found");
    const callbackUrl = req.nextUrl.searchParams.get("callbackUrl");
    if (callbackUrl !== null && !isHttpUrl(callbackUrl, req.nextUrl.origin))
      return errorJson("invalid_request", "callbackUrl: Not a URL");
    // The same check on the callback-url cookie (any page can be handed one); the answer clears it, so the browser's
    // next request works.
    const cookie = req.cookies.get(callbackUrlCookieName())?.value;
    if (cookie && !isHttpUrl(cookie, req.nextUrl.origin))
      return errorJson("invalid_request", "callback-url cookie: Not a URL", {
        "Set-Cookie": `${callbackUrlCookieName()}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secureCookies() ? "; Secure" : ""}`,
      });
    if (req.method === "POST" && req.headers.get("content-type")?.includes("application/json")) {
      const body: unknown = await req
        .clone()
        .json()
        .catch(() => undefined);
      if (body === null || typeof body !== "object") return errorJson("invalid_request", "body: Malformed JSON");
    }
    return await NextAuth(req as never, context as never, authOptions());
  } catch (err) {
    return errorResponse(err);
  }
}

export { handler as GET, handler as POST };
