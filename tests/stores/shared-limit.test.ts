// Two limiter instances (as two Keyhold servers would hold) on one shared store count one limit together.
import { afterAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { KeyRateLimiter, type RateLimitStore } from "@/lib/ratelimit/limiter";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const { REDIS_URL } = env();

const stores: [string, () => RateLimitStore][] = [["postgres", () => ({ kind: "postgres", url: db.current.url! })]];
if (REDIS_URL) stores.push(["redis", () => ({ kind: "redis", url: REDIS_URL })]);

describe.each(stores)("shared %s store", (name, store) => {
  const instances: KeyRateLimiter[] = [];
  afterAll(async () => Promise.all(instances.map((i) => i.close())));

  it("shares one limit between two instances", async () => {
    const a = new KeyRateLimiter(store());
    const b = new KeyRateLimiter(store());
    instances.push(a, b);
    const key = `shared-${name}-${Date.now()}`;
    const allowed: boolean[] = [];
    for (let i = 0; i < 10; i++) allowed.push((await (i % 2 === 0 ? a : b).consume(key, 6)).allowed);
    expect(allowed).toEqual([true, true, true, true, true, true, false, false, false, false]);
    const last = await a.consume(key, 6);
    expect(last).toMatchObject({ allowed: false, remaining: 0, limit: 6 });
    expect(last.retryAfter).toBeGreaterThan(0);
  });
});
