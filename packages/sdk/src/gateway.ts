// What every middleware shares: the key from `Authorization: Bearer`, the verifier to ask, and the HTTP answer for a
// refusal (the status and Keyhold's error body of the REST code behind the verdict).
import { ERROR_MESSAGES, ERROR_STATUS, VERDICT_ERROR_CODES, type KeyholdErrorCode } from "./error-table.js";
import type { VerifyResponse } from "./types.js";
import {
  createVerifier,
  type Verification,
  type Verifier,
  type VerifierOptions,
  type VerifyOptions,
} from "./verifier.js";

// Middleware options: what the route requires, and the verifier (or the options to make one).
export type GuardOptions = Omit<VerifyOptions, "ip"> & {
  verifier?: Verifier;
} & VerifierOptions;

export type ErrorAnswer = { status: number; body: { error: { code: string; message: string } }; headers: Headers };

// The verifier a middleware uses: the one given, else one made from the options once.
export function verifierFor(options: GuardOptions): Verifier {
  return options.verifier ?? createVerifier(options);
}

// The requirements sent with each verification (the route's; the client IP is added per request).
export function requirementsOf(options: GuardOptions): Omit<VerifyOptions, "ip"> {
  return {
    ...(options.scope ? { scope: options.scope } : {}),
    ...(options.permissions?.length ? { permissions: [...options.permissions] } : {}),
    ...(options.cost !== undefined ? { cost: options.cost } : {}),
  };
}

// The key of `Authorization: Bearer <key>`; null when the header is missing or not a Bearer credential.
export function bearerKey(authorization: string | null | undefined): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1] : null;
}

// The answer when the request carried no key at all: 401 missing_key.
export function missingKeyAnswer(): ErrorAnswer {
  return {
    status: ERROR_STATUS.missing_key,
    body: { error: { code: "missing_key", message: "Send an API key as Authorization: Bearer <key>." } },
    headers: new Headers({ "Content-Type": "application/json", "WWW-Authenticate": "Bearer" }),
  };
}

// The REST error code behind a refusing verdict.
export function verdictErrorCode(code: Exclude<VerifyResponse["code"], "VALID">): KeyholdErrorCode {
  return VERDICT_ERROR_CODES[code];
}

// The answer for a refusal: 401/403/429 with Keyhold's error body (Retry-After and the rate-limit headers on
// RATE_LIMITED), or 503 service_unavailable when Keyhold could not answer.
export function refusalAnswer(verdict: Verification, now = Date.now()): ErrorAnswer {
  const headers = new Headers({ "Content-Type": "application/json" });
  if (verdict.code === "SERVICE_UNAVAILABLE")
    return { status: 503, body: { error: { code: "service_unavailable", message: verdict.message } }, headers };
  if (verdict.code === "VALID") throw new Error("refusalAnswer: VALID is not a refusal");
  const code = verdictErrorCode(verdict.code);
  if (verdict.ratelimit) {
    headers.set("X-RateLimit-Limit", String(verdict.ratelimit.limit));
    headers.set("X-RateLimit-Remaining", String(verdict.ratelimit.remaining));
    headers.set("X-RateLimit-Reset", String(verdict.ratelimit.reset));
    if (verdict.code === "RATE_LIMITED")
      headers.set("Retry-After", String(Math.max(1, verdict.ratelimit.reset - Math.floor(now / 1000))));
  }
  return { status: ERROR_STATUS[code], body: { error: { code, message: ERROR_MESSAGES[code] } }, headers };
}

// A socket address as Keyhold's allowlists read it: IPv4-mapped IPv6 (::ffff:10.0.0.1) as IPv4, no zone (%eth0); null
// for anything that is not an address.
export function normaliseIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const bare = ip.trim().replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  const address = mapped ? mapped[1] : bare;
  // Anything else is no address (Keyhold would reject the whole request): sent without one, allowlisted keys are refused.
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(address) || /^[0-9a-f:.]*:[0-9a-f:.]*$/i.test(address) ? address : null;
}

// Verifies the request's key: the verdict when it is valid, else the answer to send back.
export async function guard(
  verifier: Verifier,
  authorization: string | null | undefined,
  requirements: VerifyOptions,
  ip?: string | null,
): Promise<{ ok: true; verification: VerifyResponse } | { ok: false; answer: ErrorAnswer }> {
  const key = bearerKey(authorization);
  if (!key) return { ok: false, answer: missingKeyAnswer() };
  const address = normaliseIp(ip);
  const verdict = await verifier.verify(key, address ? { ...requirements, ip: address } : requirements);
  if (verdict.valid) return { ok: true, verification: verdict as VerifyResponse };
  return { ok: false, answer: refusalAnswer(verdict) };
}
