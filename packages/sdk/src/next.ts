// @keyhold/sdk/next: wraps a Next.js route handler so it runs only for a request whose key (`Authorization: Bearer` or
// `X-API-Key`) Keyhold accepts, every request; the handler gets the verdict as its third argument and its answer gets
// the X-RateLimit-* headers; a refusal is answered with Keyhold's error body.
import { answerResponse, makeGuard, type GuardOptions } from "./gateway.js";
import type { VerifyValid } from "./types.js";

/** Options of withKeyhold: the route's requirements, the verifier's options, and where the client IP is. */
export type KeyholdNextOptions = GuardOptions & {
  /**
   * The client's address for the key's IP allowlist (e.g. from a header your trusted proxy sets). Without it a key with
   * an allowlist is refused.
   */
  ip?: (req: Request) => string | null | undefined;
};

/**
 * `withKeyhold(handler, { scope, permissions, cost })`: the route handler, behind Keyhold's verification. Throws at
 * once when no endpoint or service token is configured.
 */
export function withKeyhold<C>(
  handler: (req: Request, context: C, verification: VerifyValid) => Response | Promise<Response>,
  options: KeyholdNextOptions = {},
): (req: Request, context: C) => Promise<Response> {
  const guard = makeGuard(options);
  return async (req, context) => {
    const result = await guard((name) => req.headers.get(name), options.ip?.(req));
    if (!result.ok) return answerResponse(result.answer);
    const response = await handler(req, context, result.verification);
    if (result.headers.length === 0) return response;
    try {
      for (const [name, value] of result.headers) response.headers.set(name, value);
      return response;
    } catch {
      // Immutable headers (a Response.redirect, a fetched answer): copy the answer to add them.
      const copy = new Response(response.body, response);
      for (const [name, value] of result.headers) copy.headers.set(name, value);
      return copy;
    }
  };
}

export type { Verification, Verifier } from "./verifier.js";
export { createVerifier } from "./verifier.js";
