// withApiKey(handler, { scope, permissions, cost }): API key authentication for Next.js route handlers, through the core
// the Hono app's requireKey shares (lib/api/authenticate.ts).
import type { KeyRecord } from "../keys/record";
import { authenticateRequest, keyRequirements, type KeyRequirements } from "./authenticate";
import { withHeaders } from "./responses";

export type ApiKeyContext<P> = { key: KeyRecord; ip: string | null; params: P };
type RouteContext<P> = { params: Promise<P> };

// Wraps a Next.js route handler so it runs only for a valid key holding `scope` (any scope when omitted) and every one
// of `permissions`, spending `cost` credits (default 1) from a key that has credits: for platforms that embed Keyhold's
// verification in their own Next.js routes. The credits are spent before the handler runs, whatever it answers.
export function withApiKey<P = Record<string, never>>(
  handler: (request: Request, ctx: ApiKeyContext<P>) => Promise<Response>,
  opts: KeyRequirements = {},
) {
  const requirements = keyRequirements({ ...opts, cost: opts.cost ?? 1 });
  return async (request: Request, route: RouteContext<P>): Promise<Response> =>
    authenticateRequest(request, requirements, async (key, ip, rateLimit) =>
      withHeaders(await handler(request, { key, ip, params: await route.params }), rateLimit),
    );
}
