// requireKey({ scope }): the Hono middleware that authenticates an /api/v1 route by API key, with withApiKey's behaviour
// (the same core, lib/api/with-api-key.ts); the handler reads the verified key and the client IP from the context.
import { createMiddleware } from "hono/factory";
import type { Scope } from "../generated/prisma/enums";
import type { KeyRecord } from "../keys/record";
import { authenticateRequest } from "./with-api-key";

export type ApiEnv = { Variables: { key: KeyRecord; ip: string | null } };

// Runs the rest of the route only for a valid key holding `scope` (any scope when omitted).
export function requireKey(opts: { scope?: Scope } = {}) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const response = await authenticateRequest(c.req.raw, opts.scope, async (key, ip) => {
      c.set("key", key);
      c.set("ip", ip);
      await next();
      return c.res;
    });
    // Refused before the handler ran: this is the answer. Otherwise the core put the rate-limit headers on the
    // handler's answer, or on a copy when its headers were immutable.
    if (!c.finalized) return response;
    if (response !== c.res) {
      c.res = undefined;
      c.res = response;
    }
  });
}
