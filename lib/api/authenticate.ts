// Authentication by API key (Authorization: Bearer or X-API-Key, optional X-Client-ID): the core both entry points share,
// requireKey (the Hono middleware, lib/api/require-key.ts) and withApiKey (Next.js route handlers, lib/api/with-api-key.ts).
import type { Scope } from "../generated/prisma/enums";
import { clientIp, type HeaderSource } from "../ip/client-ip";
import type { KeyRecord } from "../keys/record";
import { rateLimitHeaders } from "../ratelimit/limiter";
import { verifyKey, type Verification } from "../keys/verify";
import { PERMISSION_NAME_PATTERN } from "../validations/permissions";
import { recordVerification } from "./record-verification";
import { errorJson, errorResponse } from "./responses";

// What a route requires of the key: `scope` (any when omitted), every one of `permissions`, and `cost`, the credits a
// request spends from a key that has credits once every other check passed (withApiKey: default 1, as the gateway's
// verify; requireKey: default 0).
export type KeyRequirements = { scope?: Scope; permissions?: readonly string[]; cost?: number };

// Checks a route's declared requirements once, when it is built: a misspelt permission would refuse every request.
export function keyRequirements(opts: KeyRequirements): KeyRequirements {
  const bad = opts.permissions?.find((p) => !PERMISSION_NAME_PATTERN.test(p));
  if (bad) throw new Error(`Not a permission name (resource:action): ${bad}`);
  return {
    scope: opts.scope,
    ...(opts.permissions?.length ? { permissions: [...opts.permissions] } : {}),
    ...(opts.cost !== undefined ? { cost: opts.cost } : {}),
  };
}

// The presented key: a Bearer token, else X-API-Key; null when neither is sent.
export function presentedKey(headers: HeaderSource): string | null {
  const auth = headers.get("authorization");
  if (auth) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match) return match[1];
  }
  return headers.get("x-api-key")?.trim() || null;
}

// The path of a request URL, without `new URL()` (the hot path only needs the string; it is recorded with the usage).
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  const end = url.indexOf("?", start);
  return end === -1 ? url.slice(start) : url.slice(start, end);
}

// A refusal's message, when it can say more than the code's: insufficient_scope names the scope the request needed
// and those the key holds.
function refusalMessage(verification: Verification, requirements: KeyRequirements): string | undefined {
  if (verification.ok || verification.code !== "insufficient_scope" || !requirements.scope) return undefined;
  const held = verification.key?.scopes.join(", ") || "none";
  return `This request needs a key with the ${requirements.scope} scope (admin includes write, write includes read); this key has: ${held}.`;
}

// The one authentication core of withApiKey (Next.js route handlers) and requireKey (the Hono app): runs `handler`
// only for a valid key meeting `requirements`, answers the error table's codes, and reports the identified verification once.
// Every answer to a counted request carries the rate-limit headers: the core puts them on the answers it makes, and
// hands them to `handler`, whose answer must carry them too (built with them, not patched afterwards).
export async function authenticateRequest(
  request: { headers: HeaderSource; method: string; url: string },
  requirements: KeyRequirements,
  handler: (key: KeyRecord, ip: string | null, rateLimit: Record<string, string>) => Promise<Response>,
): Promise<Response> {
  const started = performance.now();
  const headers = request.headers;
  const ip = clientIp(headers);
  let verification: Verification;
  try {
    verification = await verifyKey({
      secret: presentedKey(headers),
      scope: requirements.scope,
      permissions: requirements.permissions,
      clientId: headers.get("x-client-id"),
      ip,
      cost: requirements.cost,
    });
  } catch (err) {
    // The verification itself failed (the database down): a JSON 503, never an empty 500.
    return errorResponse(err);
  }
  const counted = verification.ratelimit ? rateLimitHeaders(verification.ratelimit) : undefined;
  let response: Response;
  if (!verification.ok) {
    response = errorJson(verification.code, refusalMessage(verification, requirements), counted);
  } else {
    try {
      response = await handler(verification.key, ip, counted!);
    } catch (err) {
      response = errorResponse(err, counted);
    }
  }
  recordVerification(
    verification,
    { route: pathOf(request.url), method: request.method, ip },
    response.status,
    started,
  );
  return response;
}
