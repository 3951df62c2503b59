// The scheduled scan: key.expiring 7 days and 1 day ahead, key.expired, credits.low at 20 % and 0 % of the refill or
// initial amount; each once (dedupeKey), however many times or instances scan. Events of the key service are written
// in its transaction: a refused change records none.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { EVENT_RETENTION_DAYS, pruneEvents, runScheduledScan } from "@/lib/events/scan";
import { flushRateLimitEvents } from "@/lib/events/ratelimit";
import { createKey, updateKey } from "@/lib/keys/service";
import { flushCredits } from "@/lib/keys/credit-ledger";
import { addKeyCredits } from "@/lib/keys/credits";
import { flushLastUsed } from "@/lib/keys/last-used";
import { verifyKey } from "@/lib/keys/verify";
import { withTestDb } from "../helpers/db";
import { createUser, keyInput, makeKey, ownerActor } from "../helpers/keys";

withTestDb();

const DAY = 86_400_000;

async function eventsOf(keyId: string, type: string) {
  return db.event.findMany({
    where: { type, data: { path: ["key", "id"], equals: keyId } },
    orderBy: { createdAt: "asc" },
  });
}

describe("scheduled scan", () => {
  it("announces an expiry 7 days ahead, 1 day ahead and when it passes, each once", async () => {
    const user = await createUser("expiry");
    const t0 = Date.now();
    const { key } = await makeKey(user.id, ["read"], { expiresAt: new Date(t0 + 10 * DAY) });
    await runScheduledScan(new Date(t0));
    expect(await eventsOf(key.id, "key.expiring")).toHaveLength(0);
    await runScheduledScan(new Date(t0 + 3.5 * DAY));
    await runScheduledScan(new Date(t0 + 4 * DAY));
    const week = await eventsOf(key.id, "key.expiring");
    expect(week.map((e) => (e.data as { daysAhead: number }).daysAhead)).toEqual([7]);
    await runScheduledScan(new Date(t0 + 9.5 * DAY));
    await runScheduledScan(new Date(t0 + 9.6 * DAY));
    expect((await eventsOf(key.id, "key.expiring")).map((e) => (e.data as { daysAhead: number }).daysAhead)).toEqual([
      7, 1,
    ]);
    await runScheduledScan(new Date(t0 + 10 * DAY + 60_000));
    await runScheduledScan(new Date(t0 + 10 * DAY + 120_000));
    expect(await eventsOf(key.id, "key.expired")).toHaveLength(1);
  });

  it("a changed expiry is announced again; a revoked key is not", async () => {
    const user = await createUser("moved");
    const t0 = Date.now();
    const { key } = await makeKey(user.id, ["read"], { expiresAt: new Date(t0 + 5 * DAY) });
    const { key: revoked } = await makeKey(user.id, ["read"], { expiresAt: new Date(t0 + 5 * DAY) });
    await db.apiKey.update({ where: { id: revoked.id }, data: { revokedAt: new Date(), activeName: null } });
    await runScheduledScan(new Date(t0));
    await updateKey(await ownerActor(user.id), key.id, { expiresAt: new Date(t0 + 6 * DAY) }, { ip: null });
    await runScheduledScan(new Date(t0));
    expect(await eventsOf(key.id, "key.expiring")).toHaveLength(2);
    expect(await eventsOf(revoked.id, "key.expiring")).toHaveLength(0);
  });

  it("warns at 20 % and at 0 % of the initial credits, once each", async () => {
    const user = await createUser("credits");
    const { key } = await makeKey(user.id, ["read"], { credits: { remaining: 100, refill: null } });
    await runScheduledScan();
    expect(await eventsOf(key.id, "credits.low")).toHaveLength(0);
    await db.apiKey.update({ where: { id: key.id }, data: { creditsRemaining: 20 } });
    await runScheduledScan();
    await runScheduledScan();
    await db.apiKey.update({ where: { id: key.id }, data: { creditsRemaining: 0 } });
    await runScheduledScan();
    await runScheduledScan();
    const warned = (await eventsOf(key.id, "credits.low")).map((e) => e.data as { threshold: number; base: number });
    expect(warned.map((w) => w.threshold)).toEqual([20, 0]);
    expect(warned[0].base).toBe(100);
  });

  it("warns once while a low key keeps being used, and again after a top-up brought it back above 20 %", async () => {
    const user = await createUser("in-use");
    const { key, secret } = await makeKey(user.id, ["read"], { credits: { remaining: 10, refill: null } });
    for (let i = 0; i < 8; i++) expect((await verifyKey({ secret })).ok).toBe(true);
    await flushCredits();
    await flushLastUsed();
    await runScheduledScan();
    expect(await eventsOf(key.id, "credits.low")).toHaveLength(1);
    // Used again (its lastUsedAt written), still low: no second warning for the same setting of its credits.
    expect((await verifyKey({ secret })).ok).toBe(true);
    await flushCredits();
    await flushLastUsed();
    await runScheduledScan();
    expect(await eventsOf(key.id, "credits.low")).toHaveLength(1);
    // Topped up to 21 of 10 and spent down to 2 again: warned again.
    await addKeyCredits(await ownerActor(user.id), key.id, 20, { ip: null });
    for (let i = 0; i < 19; i++) expect((await verifyKey({ secret })).ok).toBe(true);
    await flushCredits();
    await runScheduledScan();
    expect(await eventsOf(key.id, "credits.low")).toHaveLength(2);
  });

  it("measures a refilling key against its refill amount, once per refill period", async () => {
    const user = await createUser("refill");
    const { key } = await makeKey(user.id, ["read"], {
      credits: { remaining: 1000, refill: { amount: 50, interval: "day" } },
    });
    // 1000 left of a 50-a-day refill: plenty.
    await runScheduledScan();
    expect(await eventsOf(key.id, "credits.low")).toHaveLength(0);
    await db.apiKey.update({ where: { id: key.id }, data: { creditsRemaining: 10 } });
    const now = new Date();
    await runScheduledScan(now);
    await runScheduledScan(now);
    expect(await eventsOf(key.id, "credits.low")).toHaveLength(1);
    // Tomorrow the refill is due: 50 available again, no warning.
    await runScheduledScan(new Date(now.getTime() + DAY));
    expect(await eventsOf(key.id, "credits.low")).toHaveLength(1);
  });
});

describe("retention", () => {
  it("prunes events past EVENT_RETENTION_DAYS with their deliveries, except those still being delivered", async () => {
    const user = await createUser("old");
    const organizationId = user.organization.id;
    const endpoint = await db.webhookEndpoint.create({
      data: { organizationId, url: "https://93.184.215.14/", events: ["key.created"], secretEnc: "unused" },
    });
    const old = new Date(Date.now() - (EVENT_RETENTION_DAYS + 1) * DAY);
    const make = (status: "pending" | "succeeded") =>
      db.event.create({
        data: {
          organizationId,
          type: "key.created",
          data: {},
          createdAt: old,
          deliveries: { create: { endpointId: endpoint.id, status } },
        },
      });
    const done = await make("succeeded");
    const pending = await make("pending");
    const recent = await db.event.create({ data: { organizationId, type: "key.created", data: {} } });
    expect(await pruneEvents()).toBe(1);
    const left = await db.event.findMany({ where: { organizationId }, select: { id: true } });
    expect(left.map((e) => e.id).sort()).toEqual([pending.id, recent.id].sort());
    expect(await db.webhookDelivery.count({ where: { eventId: done.id } })).toBe(0);
  });
});

describe("ratelimit.exceeded", () => {
  it("is recorded once per key and hour from the verify path, however many refusals", async () => {
    const user = await createUser("limited");
    const { key, secret } = await makeKey(user.id, ["read"], { rateLimit: 1 });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await verifyKey({ secret })).ok ? "ok" : "refused");
    expect(codes).toEqual(["ok", "refused", "refused", "refused"]);
    await flushRateLimitEvents();
    const events = await eventsOf(key.id, "ratelimit.exceeded");
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ limit: 1 });
    expect(events[0].dedupeKey).toMatch(new RegExp(`^ratelimit:${key.id}:`));
  });
});

describe("events in the service transaction", () => {
  it("a refused key change records no event", async () => {
    const user = await createUser("refused");
    const actor = await ownerActor(user.id);
    await makeKey(user.id, ["read"], { name: "taken" });
    const before = await db.event.count({ where: { organizationId: actor.organizationId } });
    await expect(createKey(actor, keyInput({ name: "taken" }), { ip: null })).rejects.toMatchObject({
      code: "invalid_request",
    });
    expect(await db.event.count({ where: { organizationId: actor.organizationId } })).toBe(before);
  });

  it("key events carry the key object, never its secret", async () => {
    const user = await createUser("payload");
    const { key, secret } = await makeKey(user.id, ["read"]);
    const [event] = await eventsOf(key.id, "key.created");
    expect((event.data as { key: unknown }).key).toEqual(key);
    expect(JSON.stringify(event.data)).not.toContain(secret);
  });
});
