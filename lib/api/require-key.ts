// requireKey({ scope, permissions }): the Hono middleware that authenticates an /api/v1 route by API key, with withApiKey's behaviour
// (the same core, lib/api/authenticate.ts); the handler reads the verified key and the client IP from the context.
import { createMiddleware } from "hono/factory";
import type { KeyRecord } from "../keys/record";
import { assertCan, keyActor, type Actor } from "../orgs/actor";
import type { Capability } from "../orgs/roles";
import { requestHeaders } from "./request";
import { authenticateRequest, keyRequirements, type KeyRequirements } from "./authenticate";

// What requireKey puts on the context: the verified key, the client IP, the rate-limit headers every answer to this
// (counted) request carries (defineRoute's reply and the app's error handler add them), and, on a management route,
// the Actor: the key acting as its creator, with the creator's current role capped by the key's scopes.
export type ApiEnv = {
  Variables: { key: KeyRecord; ip: string | null; rateLimitHeaders?: Record<string, string>; actor: Actor };
};

// A management route's requirement beyond the key's own: a capability of the capability table (lib/orgs/roles).
export type RouteRequirements = KeyRequirements & { capability?: Capability };

// Runs the rest of the route only for a valid key holding `scope` (any scope when omitted) and every one of
// `permissions` (a held resource:* grants every resource:…). `cost` defaults to 0: Keyhold's own management API does
// not spend the platform's credits (a key with none left still manages keys); a route that should spend passes its cost.
// With `capability`, the key's Actor must hold it (403 forbidden, reason creator_not_member when its creator left) before
// the handler runs; the handler passes c.get("actor") to the service, which asks again inside its transaction.
export function requireKey(opts: RouteRequirements = {}) {
  const { capability, ...keyOpts } = opts;
  const requirements = keyRequirements({ ...keyOpts, cost: keyOpts.cost ?? 0 });
  return createMiddleware<ApiEnv>(async (c, next) => {
    const request = { headers: requestHeaders(c), method: c.req.method, url: c.req.url };
    const response = await authenticateRequest(request, requirements, async (key, ip, rateLimitHeaders) => {
      c.set("key", key);
      c.set("ip", ip);
      c.set("rateLimitHeaders", rateLimitHeaders);
      if (capability) {
        const actor = await keyActor(key, ip);
        assertCan(actor, capability);
        c.set("actor", actor);
      }
      await next();
      return c.res;
    });
    // Refused before the handler ran: this is the answer (otherwise the handler's answer is already c.res).
    if (!c.finalized) return response;
  });
}
