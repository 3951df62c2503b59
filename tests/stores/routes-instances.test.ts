// The forward-authentication route table on two API processes (`npm run start:api`) sharing one PostgreSQL database:
// each caches the table; a replacement through one is applied by the other within 1 s (LISTEN/NOTIFY on the key
// invalidation channel), well before the cache's own expiry (KEY_CACHE_TTL_MS, 5 s). PostgreSQL only (npm run test:pg).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { withTestDb } from "../helpers/db";
import { startInstance, stopInstance, type Instance } from "../helpers/instances";
import { createUser, makeKey } from "../helpers/keys";

const testDb = withTestDb();
const { KEYHOLD_TEST_DB } = env();
const TOKEN = "routes-instances-token-0123456789";
const TRIALS = 5;

function authorize(instance: Instance, secret: string, uri: string) {
  return fetch(`${instance.base}/api/v1/authorize`, {
    headers: {
      "x-keyhold-service-token": TOKEN,
      "x-forwarded-method": "GET",
      "x-forwarded-uri": uri,
      authorization: `Bearer ${secret}`,
    },
    signal: AbortSignal.timeout(10_000),
  });
}

function putRoutes(instance: Instance, paths: string[]) {
  return fetch(`${instance.base}/api/v1/routes`, {
    method: "PUT",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ default: "deny", routes: paths.map((path) => ({ method: "GET", path })) }),
    signal: AbortSignal.timeout(10_000),
  });
}

describe.skipIf(KEYHOLD_TEST_DB !== "postgres")("the route table on two instances", () => {
  let instances: Instance[] = [];
  let secret = "";

  beforeAll(async () => {
    const user = await createUser("routes");
    secret = (await makeKey(user.id, ["read"], { rateLimit: 60 })).secret;
    const extra = { KEYHOLD_SERVICE_TOKEN: TOKEN, KEY_CACHE_TTL_MS: "5000" };
    instances = await Promise.all([startInstance(testDb.current.url, extra), startInstance(testDb.current.url, extra)]);
    expect((await putRoutes(instances[0], ["/v1/*"])).status).toBe(200);
    // Each instance loads (and caches) the table, and starts listening for invalidations.
    for (const instance of instances) expect((await authorize(instance, secret, "/v1/a")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(instances.map(stopInstance));
  }, 60_000);

  it(`a table replaced through one instance applies on the other within 1 s (${TRIALS} trials)`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const path = `/t${trial}/*`;
      const [through, other] = trial % 2 === 0 ? instances : [...instances].reverse();
      // The other instance has the current table cached: the new path is refused there.
      expect((await authorize(other, secret, `/t${trial}/x`)).status).toBe(403);
      expect((await putRoutes(through, ["/v1/*", path])).status).toBe(200);
      const at = performance.now();
      for (;;) {
        const res = await authorize(other, secret, `/t${trial}/x`);
        if (res.status === 200) break;
        expect(res.status).toBe(403);
        expect(performance.now() - at, "still the old table after 1 s").toBeLessThan(1000);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }, 60_000);
});
