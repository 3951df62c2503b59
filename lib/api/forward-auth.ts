// /api/v1/authorize for reverse proxies (nginx auth_request, Caddy forward_auth, Traefik forwardAuth, Envoy ext_authz):
// the original request from the proxy's headers, the route table's requirements for it, the same verification as
// /verify, and an answer the proxy forwards or returns: 200 with the identity headers for the upstream, or the refusal
// with its JSON body, WWW-Authenticate and Retry-After.
import { env } from "../env";
import type { CreditInterval } from "../generated/prisma/enums";
import { clientIp, type HeaderSource } from "../ip/client-ip";
import { periodStart } from "../keys/credit-refill";
import type { KeyRecord } from "../keys/record";
import { verifyKey, type Verification } from "../keys/verify";
import { rateLimitHeaders } from "../ratelimit/limiter";
import { pathSegments } from "../routes/match";
import { currentRouteTable, requirementsOf } from "../routes/table";
import { ApiError, DEFAULT_MESSAGES, ERROR_CODES, type ErrorCode } from "../errors";
import { recordVerification } from "./record-verification";
import { emptyAnswer, errorResponse, json, JsonText } from "./responses";

export const AUTHORIZE_PATH = "/api/v1/authorize";
// The refusal body, repeated in a header: nginx's auth_request cannot read a subrequest's body, only its headers.
export const ERROR_HEADER = "x-keyhold-error";
// Sent as `omit` by a proxy that reads only headers (nginx): refusals then come without a body, which keeps the proxy's
// connection to Keyhold open (nginx closes one whose answer has a body it did not read).
export const ERROR_BODY_HEADER = "x-keyhold-error-body";

const REALM = 'Bearer realm="keyhold"';

type Original = { method: string; uri: string };

// The original request's method and URI: X-Forwarded-Method/Uri (Traefik, Caddy), else X-Original-Method/URI (nginx),
// else, for Envoy's ext_authz (which appends the original path to /api/v1/authorize), the request's own method and the
// path after the prefix. Missing: 400 invalid_request naming the header.
function originalRequest(headers: HeaderSource, method: string, url: string): Original {
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  const own = pathStart === -1 ? "/" : url.slice(pathStart);
  const suffix = own.startsWith(AUTHORIZE_PATH + "/") ? own.slice(AUTHORIZE_PATH.length) : null;
  const forwardedUri = headers.get("x-forwarded-uri") ?? headers.get("x-original-uri") ?? suffix;
  const forwardedMethod =
    headers.get("x-forwarded-method") ?? headers.get("x-original-method") ?? (suffix !== null ? method : null);
  if (!forwardedMethod)
    throw new ApiError("invalid_request", "missing (or send X-Original-Method)", "X-Forwarded-Method");
  if (!forwardedUri) throw new ApiError("invalid_request", "missing (or send X-Original-URI)", "X-Forwarded-Uri");
  if (!/^[A-Za-z]{1,20}$/.test(forwardedMethod.trim()))
    throw new ApiError("invalid_request", "not an HTTP method", "X-Forwarded-Method");
  return { method: forwardedMethod.trim().toUpperCase(), uri: forwardedUri.trim() };
}

// The customer's key from the first of FORWARD_AUTH_KEY_HEADERS that carries one (authorization: a Bearer token).
export function forwardedKey(headers: HeaderSource, names = env().FORWARD_AUTH_KEY_HEADERS): string | null {
  for (const name of names) {
    const value = headers.get(name);
    if (!value) continue;
    if (name === "authorization") {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
      if (match) return match[1];
      continue;
    }
    const trimmed = value.trim();
    if (trimmed) return trimmed;
  }
  return null;
}

// The path for messages: printable ASCII only (the message is also a header value), at most 200 characters.
function printable(uri: string): string {
  const path = uri.split(/[?#]/, 1)[0].replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

// RFC 6750's challenge for a refusal: invalid_token for a bad key, insufficient_scope for missing scope or permissions.
function challenge(code: ErrorCode, message: string): string {
  const error =
    ERROR_CODES[code] === 401 && code !== "missing_key"
      ? "invalid_token"
      : code === "insufficient_scope" || code === "insufficient_permissions"
        ? "insufficient_scope"
        : null;
  return error ? `${REALM}, error="${error}", error_description="${message.replace(/["\\]/g, "")}"` : REALM;
}

// Seconds until a key's credits refill (the next UTC day or month), or null when they never do.
function secondsToRefill(interval: CreditInterval | null, now: number): number | null {
  if (!interval) return null;
  const start = periodStart(interval, now);
  const next =
    interval === "day" ? start.getTime() + 86_400_000 : Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
  return Math.max(1, Math.ceil((next - now) / 1000));
}

// A refusal as the proxy returns it: the error body (also in X-Keyhold-Error; only there when `omitBody`),
// WWW-Authenticate, Retry-After and, for a counted request, the rate-limit headers.
function refusal(code: ErrorCode, message: string, omitBody: boolean, extra: Record<string, string> = {}): Response {
  const body = JSON.stringify({ error: { code, message } });
  const status = ERROR_CODES[code];
  const headers = {
    ...extra,
    ...(status === 401 || status === 403 || status === 429 ? { "www-authenticate": challenge(code, message) } : {}),
    [ERROR_HEADER]: body,
  };
  return omitBody ? emptyAnswer(status, headers) : json(new JsonText(body), status, headers);
}

// The headers the upstream receives about the verified key. Every one is always sent, empty when it does not apply (a
// public route, a key without credits): a proxy that copies them (Caddy's copy_headers, Traefik's authResponseHeaders)
// then always overwrites what the client sent, and Caddy 2.6 would otherwise pass its own unresolved placeholder on.
function identityHeaders(key: KeyRecord | null, verification: Verification | null): Record<string, string> {
  return {
    "x-keyhold-key-id": key?.id ?? "",
    "x-keyhold-organization": key?.organization.slug ?? "",
    "x-keyhold-organization-id": key?.organizationId ?? "",
    "x-keyhold-client-id": key?.organization.clientId ?? "",
    "x-keyhold-permissions": key?.permissions.join(",") ?? "",
    "x-keyhold-credits-remaining": verification?.credits ? String(verification.credits.remaining) : "",
  };
}

// Authorizes one proxied request: `method` and `url` are the authorize request's own (Envoy's form carries the original
// path in the URL). Never throws: a failure (the database down) is its JSON error answer, which the proxy refuses on.
export async function authorizeForward(headers: HeaderSource, method: string, url: string): Promise<Response> {
  const started = performance.now();
  const omitBody = headers.get(ERROR_BODY_HEADER)?.trim().toLowerCase() === "omit";
  try {
    const original = originalRequest(headers, method, url);
    const segments = pathSegments(original.uri);
    if (!segments)
      throw new ApiError(
        "invalid_request",
        "not a path the route table can judge (dot segments, an encoded /, //, or broken %-encoding)",
        "X-Forwarded-Uri",
      );
    const table = await currentRouteTable();
    const match = table.matcher.match(original.method, segments);
    if (!match && table.defaultAction === "deny")
      return refusal("forbidden", `No route matches ${original.method} ${printable(original.uri)}`, omitBody);
    const requirements = requirementsOf(match?.data ?? null);
    if (requirements.public) return emptyAnswer(200, identityHeaders(null, null));

    const ip = clientIp(headers);
    const verification = await verifyKey({
      secret: forwardedKey(headers),
      scope: requirements.scope,
      permissions: requirements.permissions,
      clientId: headers.get("x-client-id"),
      ip,
      cost: requirements.cost,
    });
    const counted = verification.ratelimit ? rateLimitHeaders(verification.ratelimit) : {};
    let response: Response;
    if (verification.ok) {
      response = emptyAnswer(200, { ...counted, ...identityHeaders(verification.key, verification) });
    } else {
      const retry =
        verification.code === "usage_exceeded"
          ? secondsToRefill(verification.key?.creditsRefillInterval ?? null, Date.now())
          : null;
      response = refusal(verification.code, DEFAULT_MESSAGES[verification.code], omitBody, {
        ...counted,
        ...(retry !== null ? { "retry-after": String(retry) } : {}),
      });
    }
    recordVerification(
      verification,
      { route: match?.path ?? "*", method: original.method, ip },
      response.status,
      started,
    );
    return response;
  } catch (err) {
    if (err instanceof ApiError)
      return refusal(err.code, err.field ? `${err.field}: ${err.message}` : err.message, omitBody);
    return errorResponse(err);
  }
}
