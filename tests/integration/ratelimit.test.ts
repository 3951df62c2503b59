import { afterAll, describe, expect, it } from "vitest";
import { effectiveLimit, KeyRateLimiter, PLAN_LIMITS, rateLimitHeaders } from "@/lib/ratelimit/limiter";

const limiter = new KeyRateLimiter({ kind: "memory" });
afterAll(() => limiter.close());

describe("plan limits", () => {
  it("default by plan, override per key", () => {
    expect(PLAN_LIMITS).toEqual({ FREE: 60, PRO: 600, ENTERPRISE: 6000 });
    expect(effectiveLimit("PRO", null)).toBe(600);
    expect(effectiveLimit("FREE", 5)).toBe(5);
  });
});

describe("KeyRateLimiter (memory)", () => {
  it("allows `limit` requests per minute, then refuses with an honest Retry-After", async () => {
    // The window opens at the first consume (between `sent` and `firstDone`) and ends 60 s later.
    const sent = Date.now();
    const results = [await limiter.consume("key-a", 3)];
    const firstDone = Date.now();
    for (let i = 1; i < 4; i++) results.push(await limiter.consume("key-a", 3));
    const done = Date.now();
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    const refused = results[3];
    expect(refused.retryAfter).toBeGreaterThanOrEqual(Math.floor((sent + 60_000 - done) / 1000));
    expect(refused.retryAfter).toBeLessThanOrEqual(60);
    expect(refused.reset).toBeGreaterThanOrEqual(Math.floor(sent / 1000) + 59);
    expect(refused.reset).toBeLessThanOrEqual(Math.ceil(firstDone / 1000) + 61);
    expect(rateLimitHeaders(refused)).toEqual({
      "X-RateLimit-Limit": "3",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": String(refused.reset),
      "Retry-After": String(refused.retryAfter),
    });
    expect(rateLimitHeaders(results[0])).not.toHaveProperty("Retry-After");
  });

  it("counts each key separately", async () => {
    expect((await limiter.consume("key-b", 1)).allowed).toBe(true);
    expect((await limiter.consume("key-b", 1)).allowed).toBe(false);
    expect((await limiter.consume("key-c", 1)).allowed).toBe(true);
  });

  it("applies a raised limit at once to the same counter", async () => {
    expect((await limiter.consume("key-d", 1)).allowed).toBe(true);
    expect((await limiter.consume("key-d", 1)).allowed).toBe(false);
    expect(await limiter.consume("key-d", 10)).toMatchObject({ allowed: true, remaining: 7 });
  });

  it("opens a new window when the old one ends", async () => {
    const short = new KeyRateLimiter({ kind: "memory" }, 3);
    expect((await short.consume("key-e", 1)).allowed).toBe(true);
    const refused = await short.consume("key-e", 1);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfter).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfter).toBeLessThanOrEqual(3);
    await new Promise((r) => setTimeout(r, refused.retryAfter * 1000 + 100));
    expect(await short.consume("key-e", 1)).toMatchObject({ allowed: true, remaining: 0 });
  });
});
