// @keyhold/sdk/next: wraps a Next.js route handler so it runs only for a request whose `Authorization: Bearer <key>`
// Keyhold accepts; the handler gets the verdict as its third argument, a refusal is answered with Keyhold's error body.
import { guard, requirementsOf, verifierFor, type GuardOptions } from "./gateway.js";
import type { VerifyResponse } from "./types.js";

export type KeyholdNextOptions = GuardOptions & {
  // The client's address for the key's IP allowlist (e.g. from a header your trusted proxy sets). Without it a key with
  // an allowlist is refused.
  ip?: (req: Request) => string | null | undefined;
};

// withKeyhold(handler, { scope, permissions, cost }): the route handler, behind Keyhold's verification.
export function withKeyhold<C>(
  handler: (req: Request, context: C, verification: VerifyResponse) => Response | Promise<Response>,
  options: KeyholdNextOptions = {},
): (req: Request, context: C) => Promise<Response> {
  const verifier = verifierFor(options);
  const requirements = requirementsOf(options);
  return async (req, context) => {
    const result = await guard(verifier, req.headers.get("authorization"), requirements, options.ip?.(req));
    if (!result.ok) {
      const { status, body, headers } = result.answer;
      return new Response(JSON.stringify(body), { status, headers });
    }
    return handler(req, context, result.verification);
  };
}

export type { Verification, Verifier } from "./verifier.js";
export { createVerifier } from "./verifier.js";
