// Middleware that runs before a route reads its body: the service token's check, and a limit per client address.
import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors";
import { clientIp, type HeaderSource } from "../ip/client-ip";
import type { ApiEnv } from "./require-key";
import { requestHeaders } from "./request";
import { errorJson } from "./responses";

type TokenStatus = "disabled" | "missing" | "invalid" | "ok";

// The service token as `status` finds it in the request: 404 while KEYHOLD_SERVICE_TOKEN is unset, else missing_key or
// invalid_key with `hint` (how to send it) unless it matches.
export function requireToken(status: (headers: HeaderSource) => TokenStatus, hint: string) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const token = status(requestHeaders(c));
    if (token === "disabled") return errorJson("not_found", "Not found");
    if (token !== "ok") return errorJson(token === "missing" ? "missing_key" : "invalid_key", hint);
    await next();
  });
}

// Counts the request against its address's limit (`count`); over it, rate_limited with Retry-After and `message`. The
// handler finds the address in `ip`, and the limit's headers go on its answer.
export function limitPerAddress(
  count: (ip: string | null) => Promise<{ allowed: boolean; headers: Record<string, string> }>,
  message: string,
) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const ip = clientIp(requestHeaders(c));
    const { allowed, headers } = await count(ip);
    c.set("ip", ip);
    c.set("rateLimitHeaders", headers);
    if (!allowed) throw new ApiError("rate_limited", message);
    await next();
  });
}
