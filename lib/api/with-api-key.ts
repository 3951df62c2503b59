// withApiKey(handler, { scope }): authenticates a route by API key (Authorization: Bearer or X-API-Key, optional
// X-Client-ID), answers DESIGN.md's errors, puts the rate-limit headers on every answer to a counted request, and reports
// every identified verification to onVerified.
import type { Scope } from "../generated/prisma/enums";
import { clientIp } from "../ip/client-ip";
import type { KeyRecord } from "../keys/record";
import { rateLimitHeaders } from "../ratelimit/limiter";
import { verifyKey, type Verification } from "../keys/verify";
import { onVerified } from "./on-verified";
import { errorJson, errorResponse } from "./responses";

export type ApiKeyContext<P> = { key: KeyRecord; ip: string | null; params: P };
type RouteContext<P> = { params: Promise<P> };

// The presented key: a Bearer token, else X-API-Key; null when neither is sent.
export function presentedKey(headers: Headers): string | null {
  const auth = headers.get("authorization");
  if (auth) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match) return match[1];
  }
  return headers.get("x-api-key")?.trim() || null;
}

// Adds headers to a handler's response; a response with immutable headers (Response.redirect) is copied first.
function withHeaders(response: Response, headers: Record<string, string>): Response {
  let target = response;
  try {
    for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
  } catch {
    target = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
  }
  return target;
}

// Wraps a route handler so it runs only for a valid key holding `scope` (any scope when omitted). Every failure, the
// verification's own included (the database down), is answered through errorResponse.
export function withApiKey<P = Record<string, never>>(
  handler: (request: Request, ctx: ApiKeyContext<P>) => Promise<Response>,
  opts: { scope?: Scope } = {},
) {
  return async (request: Request, route: RouteContext<P>): Promise<Response> => {
    const started = performance.now();
    let verification: Verification;
    let ip: string | null;
    try {
      ip = clientIp(request.headers);
      verification = await verifyKey({ secret: presentedKey(request.headers), scope: opts.scope, clientId: request.headers.get("x-client-id"), ip });
    } catch (err) {
      return errorResponse(err);
    }
    let response: Response;
    if (!verification.ok) {
      response = errorJson(verification.code);
    } else {
      try {
        response = await handler(request, { key: verification.key, ip, params: await route.params });
      } catch (err) {
        response = errorResponse(err);
      }
    }
    if (verification.ratelimit) response = withHeaders(response, rateLimitHeaders(verification.ratelimit));
    if (verification.key) {
      onVerified(
        { key: verification.key, route: new URL(request.url).pathname, method: request.method, ip },
        { status: response.status, code: verification.ok ? "valid" : verification.code, latencyMs: performance.now() - started },
      );
    }
    return response;
  };
}
