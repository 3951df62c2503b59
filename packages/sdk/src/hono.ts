// @keyhold/sdk/hono: middleware that verifies `Authorization: Bearer <key>` with Keyhold before the route runs; the
// verdict is `c.get("keyhold")`, and a refusal is answered with the status and Keyhold's error body.
import type { Context, MiddlewareHandler } from "hono";
import { guard, requirementsOf, verifierFor, type GuardOptions } from "./gateway.js";
import type { VerifyResponse } from "./types.js";

export type KeyholdVariables = { keyhold: VerifyResponse };

export type KeyholdHonoOptions = GuardOptions & {
  // The client's address for the key's IP allowlist (e.g. from hono/conninfo's getConnInfo, or a trusted proxy header).
  // Without it a key with an allowlist is refused.
  ip?: (c: Context) => string | null | undefined;
};

// Middleware requiring a key good for options.scope, .permissions and .cost (spent on a key that has credits).
export function keyhold(options: KeyholdHonoOptions = {}): MiddlewareHandler<{ Variables: KeyholdVariables }> {
  const verifier = verifierFor(options);
  const requirements = requirementsOf(options);
  return async (c, next) => {
    const result = await guard(verifier, c.req.header("authorization"), requirements, options.ip?.(c));
    if (!result.ok) {
      const { status, body, headers } = result.answer;
      return new Response(JSON.stringify(body), { status, headers });
    }
    c.set("keyhold", result.verification);
    await next();
  };
}

export type { Verification, Verifier } from "./verifier.js";
export { createVerifier } from "./verifier.js";
