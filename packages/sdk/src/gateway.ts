// What every middleware shares: the key from `Authorization: Bearer` or `X-API-Key`, the verifier to ask, the
// rate-limit headers of a success, and the HTTP answer for a refusal (the status and Keyhold's error body of the REST
// code behind the verdict; a generic 503 whose reason goes to the log).
import { ERROR_MESSAGES, ERROR_STATUS, VERDICT_ERROR_CODES, type KeyholdErrorCode } from "./error-table.js";
import type { VerifyRefusal, VerifyValid } from "./types.js";
import {
  createVerifier,
  type Verification,
  type Verifier,
  type VerifierOptions,
  type VerifyOptions,
} from "./verifier.js";

/** Middleware options: what the route requires, and the verifier to ask (or the options to make one). */
export type GuardOptions = Omit<VerifyOptions, "ip"> &
  VerifierOptions & {
    /** A verifier to share between routes (default: one made from these options when the middleware is made). */
    verifier?: Verifier;
    /**
     * Where the reason of a 503 goes (Keyhold unreachable, a wrong service token…); the client only gets a generic
     * message. Default `console.warn`.
     */
    log?: (message: string) => void;
  };

/** An answer the middleware sends instead of running the route. */
export type ErrorAnswer = { status: number; body: { error: { code: string; message: string } }; headers: Headers };

// Reads one request header by its lower-case name.
export type HeaderReader = (name: string) => string | null | undefined;

// The verifier a middleware uses: the one given, else one made from the options once (which throws when the endpoint
// or service token is missing: a gateway that cannot verify must not start).
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

// The request's API key: `Authorization: Bearer <key>`, else `X-API-Key: <key>` (as Keyhold's own API reads them).
export function presentedKey(header: HeaderReader): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header("authorization") ?? "");
  if (bearer) return bearer[1];
  const apiKey = header("x-api-key")?.trim();
  return apiKey ? apiKey : null;
}

// An error answer with Keyhold's body; every 401 says how to authenticate.
function errorAnswer(code: KeyholdErrorCode, message: string = ERROR_MESSAGES[code]): ErrorAnswer {
  const status = ERROR_STATUS[code];
  const headers = new Headers({ "Content-Type": "application/json", "Cache-Control": "no-store" });
  if (status === 401) headers.set("WWW-Authenticate", 'Bearer realm="keyhold"');
  return { status, body: { error: { code, message } }, headers };
}

// The X-RateLimit-* headers of a request Keyhold counted against the key's limit (none when it was not counted).
export function rateLimitHeaders(verdict: Verification): [string, string][] {
  if (!verdict.ratelimit) return [];
  return [
    ["X-RateLimit-Limit", String(verdict.ratelimit.limit)],
    ["X-RateLimit-Remaining", String(verdict.ratelimit.remaining)],
    ["X-RateLimit-Reset", String(verdict.ratelimit.reset)],
  ];
}

const UNAVAILABLE_MESSAGE = "Key verification is temporarily unavailable. Try again shortly.";

// The answer for a refusal: 401/403/429 with Keyhold's error body (Retry-After and the rate-limit headers on
// RATE_LIMITED), or 503 service_unavailable with a generic message when Keyhold could not answer (the reason is logged).
function refusalAnswer(verdict: Exclude<Verification, VerifyValid>, log: (message: string) => void): ErrorAnswer {
  if (verdict.code === "SERVICE_UNAVAILABLE") {
    log(`keyhold: key verification failed closed: ${verdict.message}`);
    return errorAnswer("service_unavailable", UNAVAILABLE_MESSAGE);
  }
  const answer = errorAnswer(VERDICT_ERROR_CODES[(verdict as VerifyRefusal).code]);
  for (const [name, value] of rateLimitHeaders(verdict)) answer.headers.set(name, value);
  if (verdict.code === "RATE_LIMITED")
    answer.headers.set(
      "Retry-After",
      String(Math.max(1, (verdict.ratelimit?.reset ?? 0) - Math.floor(Date.now() / 1000))),
    );
  return answer;
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

// A refusal as a Fetch API Response, for the middleware of frameworks that answer with one (Hono, Next.js).
export function answerResponse({ status, body, headers }: ErrorAnswer): Response {
  return new Response(JSON.stringify(body), { status, headers });
}

// A middleware's check, made once from its options: verifies each request's key, answering the verdict with the
// rate-limit headers to add to the route's answer, or the answer to send instead.
export function makeGuard(
  options: GuardOptions,
): (
  header: HeaderReader,
  ip?: string | null,
) => Promise<
  { ok: true; verification: VerifyValid; headers: [string, string][] } | { ok: false; answer: ErrorAnswer }
> {
  const verifier = verifierFor(options);
  const requirements = requirementsOf(options);
  const log = options.log ?? ((message: string) => console.warn(message));
  return async (header, ip) => {
    const key = presentedKey(header);
    if (!key) return { ok: false, answer: errorAnswer("missing_key") };
    const address = normaliseIp(ip);
    const verdict = await verifier.verify(key, address ? { ...requirements, ip: address } : requirements);
    if (verdict.valid) return { ok: true, verification: verdict, headers: rateLimitHeaders(verdict) };
    return { ok: false, answer: refusalAnswer(verdict, log) };
  };
}
