// next-auth endpoints (sign-in, sign-out, session, CSRF).
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { errorJson, errorResponse } from "@/lib/api/responses";
import { authOptions } from "@/lib/auth/options";

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

// next-auth answers an unknown action or an invalid callbackUrl with 500 and throws on a malformed JSON body; those
// are the caller's mistakes, answered 4xx here before next-auth sees them.
async function handler(req: NextRequest, context: Context) {
  try {
    const action = (await context.params).nextauth?.[0];
    if (!action || !ACTIONS.has(action)) return errorJson("not_found");
    const callbackUrl = req.nextUrl.searchParams.get("callbackUrl");
    if (callbackUrl !== null && !isHttpUrl(callbackUrl, req.nextUrl.origin))
      return errorJson("invalid_request", "callbackUrl: Not a URL");
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
