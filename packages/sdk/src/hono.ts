// @keyhold/sdk/hono: middleware that has Keyhold verify the request's key (`Authorization: Bearer` or `X-API-Key`)
// before the route runs, every request; the verdict is `c.get("keyhold")`, the answer gets the X-RateLimit-* headers,
// and a refusal is answered with the status and Keyhold's error body.
import type { Context, MiddlewareHandler } from "hono";
import { answerResponse, makeGuard, type GuardOptions } from "./gateway.js";
import type { VerifyValid } from "./types.js";

/** The variables the middleware sets: `c.get("keyhold")` is Keyhold's verdict for the request's key. */
export type KeyholdVariables = { keyhold: VerifyValid };

/** Options of the Hono middleware: the route's requirements, the verifier's options, and where the client IP is. */
export type KeyholdHonoOptions = GuardOptions & {
  /**
   * The client's address for the key's IP allowlist (e.g. from hono/conninfo's getConnInfo, or a trusted proxy header).
   * Without it a key with an allowlist is refused.
   */
  ip?: (c: Context) => string | null | undefined;
};

/**
 * Middleware requiring a key good for `options.scope`, `.permissions` and `.cost` (spent on a key that has credits).
 * Throws at once when no endpoint or service token is configured.
 */
export function keyhold(options: KeyholdHonoOptions = {}): MiddlewareHandler<{ Variables: KeyholdVariables }> {
  const guard = makeGuard(options);
  return async (c, next) => {
    const result = await guard((name) => c.req.header(name), options.ip?.(c));
    if (!result.ok) return answerResponse(result.answer);
    c.set("keyhold", result.verification);
    await next();
    for (const [name, value] of result.headers) c.res.headers.set(name, value);
  };
}

export type { Verification, Verifier } from "./verifier.js";
export { createVerifier } from "./verifier.js";
