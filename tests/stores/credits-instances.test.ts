// Credits across instances: three API processes (`npm run start:api`) on one PostgreSQL database, hammered at once
// through POST /api/v1/verify with one key holding N credits, admit exactly N verifications in total (never more, never
// fewer) and leave the key at 0 — the spend is one atomic statement, not a per-process count. Runs in `npm run test:pg`
// (PostgreSQL only: PGlite is one process's database).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { withTestDb } from "../helpers/db";
import { createUser, makeKey } from "../helpers/keys";
import { startInstance as startApi, stopInstance, type Instance } from "../helpers/instances";

const testDb = withTestDb();
const { KEYHOLD_TEST_DB } = env();
const SERVICE_TOKEN = "credits-instances-service-token-0123456789";

const startInstance = () =>
  startApi(testDb.current.url, { RATE_LIMIT_STORE: "postgres", KEYHOLD_SERVICE_TOKEN: SERVICE_TOKEN });

const verify = (instance: Instance, key: string, cost?: number) =>
  fetch(`${instance.base}/api/v1/verify`, {
    method: "POST",
    headers: { authorization: `Bearer ${SERVICE_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ key, ...(cost === undefined ? {} : { cost }) }),
  });

describe.skipIf(KEYHOLD_TEST_DB !== "postgres")(
  "credits through three API instances on one PostgreSQL database",
  () => {
    let instances: Instance[] = [];
    let userId: string;

    beforeAll(async () => {
      const user = await createUser("credits-three");
      userId = user.id;
      // Enterprise: 6000 requests a minute, so the rate limit never refuses before the credits step.
      await db.organization.update({ where: { id: user.organization.id }, data: { plan: "ENTERPRISE" } });
      instances = await Promise.all([startInstance(), startInstance(), startInstance()]);
    }, 120_000);

    afterAll(async () => {
      await Promise.all(instances.map(stopInstance));
    });

    it.each([
      { credits: 137, perInstance: 150, cost: 1 },
      { credits: 250, perInstance: 60, cost: 3 },
    ])(
      "a key with $credits credits, $perInstance verifications of cost $cost through each instance at once: exactly what the credits pay for",
      async ({ credits, perInstance, cost }) => {
        const { key, secret } = await makeKey(userId, ["read"], { credits: { remaining: credits, refill: null } });
        // Every instance has the key cached first: the count must not come from a cached record.
        for (const instance of instances) expect((await (await verify(instance, secret, 0)).json()).code).toBe("VALID");
        const answers = await Promise.all(
          instances.map((instance) =>
            Promise.all(
              Array.from({ length: perInstance }, async () => {
                const res = await verify(instance, secret, cost);
                expect(res.status).toBe(200);
                return (await res.json()) as { code: string; credits: { remaining: number } | null };
              }),
            ),
          ),
        );
        const all = answers.flat();
        const admitted = all.filter((a) => a.code === "VALID").length;
        const perInstanceAdmitted = answers.map((list) => list.filter((a) => a.code === "VALID").length);
        console.log(
          `credits ${credits}, cost ${cost}: ${admitted} admitted of ${all.length} (per instance ${perInstanceAdmitted.join(" + ")})`,
        );
        expect(admitted).toBe(Math.floor(credits / cost));
        expect(all.filter((a) => a.code === "USAGE_EXCEEDED")).toHaveLength(all.length - admitted);
        for (const a of all) expect(a.credits!.remaining).toBeGreaterThanOrEqual(0);
        const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
        expect(row.creditsRemaining).toBe(credits % cost);
        // More than one instance admitted requests: the three really competed for the same credits.
        expect(perInstanceAdmitted.filter((n) => n > 0).length).toBeGreaterThan(1);
      },
      120_000,
    );
  },
);
