// Prepaid credits: exact under concurrency (one atomic statement), spent only when every other check passed, refilled at
// the UTC day and month boundary (injected clock) once per period even when refills race, cost bounds, the cost recorded
// with usage, credits on create/PATCH and the key object, and the administrators' Add credits action.
process.env.KEYHOLD_SERVICE_TOKEN = "service-token-for-tests-0123456789";

import { beforeAll, describe, expect, it, vi } from "vitest";
import { flushCredits } from "@/lib/keys/credit-ledger";
import { spendCredits } from "@/lib/keys/credits";
import { revokeKey, updateKey } from "@/lib/keys/service";
import { verifyKey } from "@/lib/keys/verify";
import { flushUsage } from "@/lib/usage/recorder";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser, makeKey, ownerActor, postKey } from "../helpers/keys";
import { createMemberAccount, seedTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { addCreditsAction } = await import("@/lib/actions/keys");

const testDb = withTestDb();
const TOKEN = "service-token-for-tests-0123456789";

function verify(body: Record<string, unknown>) {
  return api(apiRequest("/api/v1/verify", { method: "POST", body, key: TOKEN }));
}

// The row's count: on PGlite the in-memory ledger writes spends behind (lib/keys/credit-ledger.ts), so write them first.
async function remaining(keyId: string) {
  await flushCredits();
  return (await testDb.current.client.apiKey.findUniqueOrThrow({ where: { id: keyId } })).creditsRemaining;
}

let userId: string;

beforeAll(async () => {
  const user = await createUser("credits");
  userId = user.id;
  // Enterprise: 6000 requests a minute, so only the tests that want the rate limit meet it.
  await testDb.current.client.organization.update({
    where: { id: user.organization.id },
    data: { plan: "ENTERPRISE" },
  });
});

describe("spending", () => {
  it("100 concurrent verifications of a key with 37 credits: exactly 37 VALID, 63 USAGE_EXCEEDED, 0 left", async () => {
    const { key, secret } = await makeKey(userId, ["read"], { credits: { remaining: 37, refill: null } });
    const answers = await Promise.all(Array.from({ length: 100 }, () => verify({ key: secret })));
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const codes = bodies.map((b) => b.code);
    expect(codes.filter((c) => c === "VALID")).toHaveLength(37);
    expect(codes.filter((c) => c === "USAGE_EXCEEDED")).toHaveLength(63);
    // Each VALID answer reports a distinct count left: 36 down to 0.
    const left = bodies.filter((b) => b.valid).map((b) => b.credits.remaining);
    expect([...left].sort((a, b) => a - b)).toEqual(Array.from({ length: 37 }, (_, i) => i));
    for (const b of bodies.filter((x) => !x.valid)) expect(b.credits).toEqual({ remaining: 0 });
    expect(await remaining(key.id)).toBe(0);
  });

  it("an unlimited key spends nothing and answers credits null", async () => {
    const { key, secret } = await makeKey(userId, ["read"]);
    const body = await (await verify({ key: secret, cost: 10_000 })).json();
    expect(body).toMatchObject({ valid: true, code: "VALID", credits: null });
    expect(await remaining(key.id)).toBeNull();
  });

  it("cost 0 passes on an empty key and spends nothing; cost 10,000 spends all of 10,000 and is refused by 9,999", async () => {
    const empty = await makeKey(userId, ["read"], { credits: { remaining: 0, refill: null } });
    expect(await (await verify({ key: empty.secret, cost: 0 })).json()).toMatchObject({
      code: "VALID",
      credits: { remaining: 0 },
    });
    expect(await (await verify({ key: empty.secret })).json()).toMatchObject({
      code: "USAGE_EXCEEDED",
      valid: false,
      credits: { remaining: 0 },
    });

    const full = await makeKey(userId, ["read"], { credits: { remaining: 10_000, refill: null } });
    expect(await (await verify({ key: full.secret, cost: 10_000 })).json()).toMatchObject({
      code: "VALID",
      credits: { remaining: 0 },
    });
    const short = await makeKey(userId, ["read"], { credits: { remaining: 9_999, refill: null } });
    expect(await (await verify({ key: short.secret, cost: 10_000 })).json()).toMatchObject({
      code: "USAGE_EXCEEDED",
      credits: { remaining: 9_999 },
    });
    expect(await remaining(short.key.id)).toBe(9_999);
  });

  it.each([-1, 10_001, 1.5, "x", null, true])("cost %j is a 400 naming cost", async (cost) => {
    const { key, secret } = await makeKey(userId, ["read"], { credits: { remaining: 5, refill: null } });
    const res = await verify({ key: secret, cost });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.message).toMatch(/^cost\b/);
    expect(await remaining(key.id)).toBe(5);
  });

  it("is not spent on refused requests: wrong scope, IP, rate limited, revoked", async () => {
    const credits = { remaining: 10, refill: null };
    const scoped = await makeKey(userId, ["read"], { credits });
    expect((await (await verify({ key: scoped.secret, scope: "admin" })).json()).code).toBe("INSUFFICIENT_SCOPE");
    expect(await remaining(scoped.key.id)).toBe(10);

    const fenced = await makeKey(userId, ["read"], { credits, ipAllowlist: [{ value: "10.0.0.0/8" }] });
    expect((await (await verify({ key: fenced.secret, ip: "203.0.113.9" })).json()).code).toBe("IP_NOT_ALLOWED");
    expect((await (await verify({ key: fenced.secret, ip: "10.1.2.3" })).json()).code).toBe("VALID");
    expect(await remaining(fenced.key.id)).toBe(9);

    const limited = await makeKey(userId, ["read"], { credits, rateLimit: 1 });
    expect((await (await verify({ key: limited.secret })).json()).code).toBe("VALID");
    const refused = await (await verify({ key: limited.secret })).json();
    expect(refused).toMatchObject({ code: "RATE_LIMITED", credits: null });
    expect(await remaining(limited.key.id)).toBe(9);

    const revoked = await makeKey(userId, ["read"], { credits });
    await revokeKey(await ownerActor(userId), revoked.key.id, { ip: null });
    expect((await (await verify({ key: revoked.secret })).json()).code).toBe("REVOKED");
    expect(await remaining(revoked.key.id)).toBe(10);
  });

  it("requireKey routes of Keyhold's own API cost nothing: a key with no credits left still calls them", async () => {
    const { key, secret } = await makeKey(userId, ["read"], { credits: { remaining: 0, refill: null } });
    const res = await api(apiRequest("/api/v1/whoami", { key: secret }));
    expect(res.status).toBe(200);
    expect((await res.json()).key.credits).toEqual({ remaining: 0, refill: null });
    expect(await remaining(key.id)).toBe(0);
  });

  it("records the cost spent with usage (events and rollups), and the usage API reports credits next to requests", async () => {
    const { key, secret } = await makeKey(userId, ["read"], { credits: { remaining: 10, refill: null } });
    await verify({ key: secret, cost: 3 });
    await verify({ key: secret, cost: 4 });
    await verify({ key: secret, cost: 5 }); // refused: 3 left
    await verify({ key: secret, scope: "admin", cost: 2 }); // refused before the credits step
    await flushUsage();
    const c = testDb.current.client;
    const events = await c.usageEvent.findMany({ where: { keyId: key.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.outcome, e.cost])).toEqual([
      ["valid", 3],
      ["valid", 4],
      ["usage_exceeded", 0],
      ["insufficient_scope", 0],
    ]);
    const rollups = await c.usageRollup.findMany({ where: { keyId: key.id, granularity: "day" } });
    expect(rollups.reduce((sum, r) => sum + r.credits, 0)).toBe(7);

    const admin = await makeKey(userId, ["read"]);
    const res = await api(apiRequest(`/api/v1/usage?keyId=${key.id}&range=24h`, { key: admin.secret }));
    expect(res.status).toBe(200);
    const usage = await res.json();
    expect(usage.totals.credits).toBe(7);
    expect(usage.totals.total).toBe(4);
    expect(usage.totals.keys[0]).toMatchObject({ keyId: key.id, total: 4, credits: 7 });
    expect(usage.data.reduce((sum: number, b: { credits: number }) => sum + b.credits, 0)).toBe(7);
  });
});

describe("refills (injected clock)", () => {
  async function keyWith(refilledAt: string, interval: "day" | "month", left: number) {
    const { key, secret } = await makeKey(userId, ["read"], {
      credits: { remaining: left, refill: { amount: 100, interval } },
    });
    await testDb.current.client.apiKey.update({
      where: { id: key.id },
      data: { creditsRefilledAt: new Date(refilledAt) },
    });
    return { id: key.id, secret };
  }

  it("sets the credits to the refill amount at the UTC day boundary, once", async () => {
    const k = await keyWith("2026-03-14T00:00:00Z", "day", 2);
    const before = Date.parse("2026-03-14T23:59:59.999Z");
    expect((await verifyKey({ secret: k.secret }, before)).credits).toEqual({ spent: 1, remaining: 1 });
    expect((await verifyKey({ secret: k.secret }, before)).credits).toEqual({ spent: 1, remaining: 0 });
    expect((await verifyKey({ secret: k.secret }, before)).ok).toBe(false);
    const after = Date.parse("2026-03-15T00:00:00.000Z");
    // Set to 100 (not added), then spent: 99; the next verification of the same day does not refill again.
    expect((await verifyKey({ secret: k.secret }, after)).credits).toEqual({ spent: 1, remaining: 99 });
    expect((await verifyKey({ secret: k.secret }, after + 3_600_000)).credits).toEqual({ spent: 1, remaining: 98 });
    await flushCredits();
    const row = await testDb.current.client.apiKey.findUniqueOrThrow({ where: { id: k.id } });
    expect(row.creditsRefilledAt?.toISOString()).toBe("2026-03-15T00:00:00.000Z");
    expect(row.creditsRemaining).toBe(98);
  });

  it("refills at the UTC month boundary, not at a day boundary within the month", async () => {
    const k = await keyWith("2026-01-01T00:00:00Z", "month", 1);
    expect((await verifyKey({ secret: k.secret }, Date.parse("2026-01-31T10:00:00Z"))).credits).toEqual({
      spent: 1,
      remaining: 0,
    });
    const refused = await verifyKey({ secret: k.secret }, Date.parse("2026-01-31T23:59:59.999Z"));
    expect(refused).toMatchObject({ ok: false, code: "usage_exceeded", credits: { spent: 0, remaining: 0 } });
    expect((await verifyKey({ secret: k.secret }, Date.parse("2026-02-01T00:00:00Z"))).credits).toEqual({
      spent: 1,
      remaining: 99,
    });
    expect((await verifyKey({ secret: k.secret }, Date.parse("2026-02-02T00:00:00Z"))).credits).toEqual({
      spent: 1,
      remaining: 98,
    });
  });

  it("refills once when many spends race into a new period", async () => {
    const k = await keyWith("2026-05-01T00:00:00Z", "day", 0);
    const now = Date.parse("2026-05-02T08:00:00Z");
    const results = await Promise.all(Array.from({ length: 30 }, () => spendCredits(k.id, 1, now)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await remaining(k.id)).toBe(70);
    // Two instances refilling the same period: the second sees it recorded and only spends.
    await spendCredits(k.id, 0, now);
    expect(await remaining(k.id)).toBe(70);
  });

  it("a key's first refill comes at the next boundary after its credits were set", async () => {
    const { key } = await makeKey(userId, ["read"], {
      credits: { remaining: 3, refill: { amount: 50, interval: "day" } },
    });
    expect(await spendCredits(key.id, 1)).toEqual({ ok: true, spent: 1, remaining: 2 });
  });
});

describe("keys carry credits", () => {
  it("REST create and PATCH accept credits (null = unlimited), audited; bad credits are 400 naming the field", async () => {
    const admin = await makeKey(userId, ["admin"]);
    const created = await postKey(admin.secret, {
      name: "metered",
      environment: "live",
      scopes: ["read"],
      credits: { remaining: 500, refill: { amount: 1000, interval: "month" } },
    });
    expect(created.status).toBe(201);
    const { key } = await created.json();
    expect(key.credits).toEqual({ remaining: 500, refill: { amount: 1000, interval: "month" } });

    const patch = (body: unknown) =>
      api(apiRequest(`/api/v1/keys/${key.id}`, { method: "PATCH", key: admin.secret, body }));
    let res = await patch({ credits: { remaining: 7 } });
    expect(res.status).toBe(200);
    expect((await res.json()).credits).toEqual({ remaining: 7, refill: null });
    res = await patch({ credits: null });
    expect((await res.json()).credits).toBeNull();
    expect(await remaining(key.id)).toBeNull();
    const audit = await testDb.current.client.auditEvent.findFirst({
      where: { keyId: key.id, action: "key.updated" },
      orderBy: { createdAt: "desc" },
    });
    expect(audit?.metadata).toEqual({ credits: null });

    for (const [credits, field] of [
      [{ remaining: -1 }, "credits.remaining"],
      [{ remaining: 1.5 }, "credits.remaining"],
      [{ remaining: 5, refill: { amount: 0, interval: "day" } }, "credits.refill.amount"],
      [{ remaining: 5, refill: { amount: 5, interval: "week" } }, "credits.refill.interval"],
      ["lots", "credits"],
    ] as const) {
      const bad = await patch({ credits });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error.message.startsWith(field)).toBe(true);
    }
  });

  it("PATCH from unlimited to credits reaches a cached key at once", async () => {
    const { key, secret } = await makeKey(userId, ["read"]);
    expect((await verifyKey({ secret })).credits).toBeNull();
    await updateKey(await ownerActor(userId), key.id, { credits: { remaining: 1, refill: null } }, { ip: null });
    expect((await verifyKey({ secret })).credits).toEqual({ spent: 1, remaining: 0 });
    expect((await verifyKey({ secret })).ok).toBe(false);
  });
});

describe("Add credits (server action)", () => {
  it("administrators add credits atomically, audited; developers are refused; unlimited keys are refused", async () => {
    const { org, admin, developer } = await seedTeam(createMemberAccount, { admin: "admin", developer: "developer" });
    const actor = { organizationId: org.id, userId: developer.id, role: "developer" as const };
    const { createKey } = await import("@/lib/keys/service");
    const base = {
      environment: "test" as const,
      scopes: ["read" as const],
      expiresAt: null,
      ipAllowlist: [],
      rateLimit: null,
    };
    const metered = await createKey(
      actor,
      { ...base, name: "metered", credits: { remaining: 2, refill: null } },
      { ip: null },
    );
    const unlimited = await createKey(actor, { ...base, name: "unlimited" }, { ip: null });

    await signInAs(developer.id);
    expect(await addCreditsAction({ org: org.slug, id: metered.key.id, amount: 5 })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    await signInAs(admin.id);
    const added = await Promise.all(
      Array.from({ length: 10 }, () => addCreditsAction({ org: org.slug, id: metered.key.id, amount: 5 })),
    );
    expect(added.every((r) => r.ok)).toBe(true);
    expect(await remaining(metered.key.id)).toBe(52);
    const audits = await testDb.current.client.auditEvent.findMany({
      where: { keyId: metered.key.id, action: "key.credits_added" },
    });
    expect(audits).toHaveLength(10);
    expect(audits[0].userId).toBe(admin.id);

    expect(await addCreditsAction({ org: org.slug, id: unlimited.key.id, amount: 5 })).toMatchObject({
      ok: false,
      code: "invalid_request",
    });
    expect(await addCreditsAction({ org: org.slug, id: metered.key.id, amount: 0 })).toMatchObject({ ok: false });
    expect(await remaining(metered.key.id)).toBe(52);
  });
});

// On PGlite spends are counted in memory and written behind (lib/keys/credit-ledger.ts); on PostgreSQL each batch is one
// statement. Either way top-ups and PATCHes racing with spends leave an exact count, and the key object shows it at once.
describe("spends racing with top-ups and PATCHes", () => {
  it("40 spends interleaved with 4 top-ups of 5: every credit is accounted for", async () => {
    const { key } = await makeKey(userId, ["read"], { credits: { remaining: 10, refill: null } });
    const actor = await ownerActor(userId);
    const { addKeyCredits } = await import("@/lib/keys/credits");
    const spends = Array.from({ length: 40 }, () => spendCredits(key.id, 1));
    const topUps = Array.from({ length: 4 }, () => addKeyCredits(actor, key.id, 5, { ip: null }));
    const results = await Promise.all(spends);
    await Promise.all(topUps);
    const admitted = results.filter((r) => r.ok).length;
    // 10 held + 20 added: at most 30 admitted, and what is left is exactly what was not spent.
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(30);
    const shown = await api(apiRequest(`/api/v1/keys/${key.id}`, { key: (await makeKey(userId, ["admin"])).secret }));
    expect((await shown.json()).credits).toEqual({ remaining: 30 - admitted, refill: null });
    expect(await remaining(key.id)).toBe(30 - admitted);
  });

  it("a PATCH sets the count outright: spends after it count against the new value, none are lost or doubled", async () => {
    const { key } = await makeKey(userId, ["read"], { credits: { remaining: 100, refill: null } });
    const actor = await ownerActor(userId);
    await Promise.all(Array.from({ length: 7 }, () => spendCredits(key.id, 1)));
    await updateKey(actor, key.id, { credits: { remaining: 20, refill: null } }, { ip: null });
    const after = await Promise.all(Array.from({ length: 5 }, () => spendCredits(key.id, 2)));
    expect(after.map((r) => (r.ok ? r.remaining : -1))).toEqual([18, 16, 14, 12, 10]);
    expect(await remaining(key.id)).toBe(10);
    await updateKey(actor, key.id, { credits: null }, { ip: null });
    expect(await spendCredits(key.id, 5)).toEqual({ ok: true, spent: 0, remaining: null });
    expect(await remaining(key.id)).toBe(null);
  });

  it("a graceful stop writes pending spends: the row holds the count after the shutdown hooks", async () => {
    const { key } = await makeKey(userId, ["read"], { credits: { remaining: 50, refill: null } });
    await Promise.all(Array.from({ length: 12 }, () => spendCredits(key.id, 1)));
    const { runShutdownHooks } = await import("@/lib/shutdown");
    await runShutdownHooks();
    const row = await testDb.current.client.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.creditsRemaining).toBe(38);
  });
});
