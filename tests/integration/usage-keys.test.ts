// Usage wired to the keys, end to end: requests of every outcome through the real route handlers are recorded exactly
// once, and the chart series, the totals table and GET /api/v1/usage agree with each other and with the requests made.
// Also: an administrator's suspension of an organization reaches a cached key at once, and administrators revoke any
// key (audited in its organization).
process.env.KEYHOLD_SERVICE_TOKEN = "service-token-for-tests-0123456789";

import { beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { changePlan, setOrganizationSuspended } from "@/lib/admin/organizations";
import { listKeysForAdmin, revokeKeyForAdmin } from "@/lib/admin/keys";
import { listAuditEvents } from "@/lib/audit";
import { getCachedKey } from "@/lib/keys/cache";
import { hashKey } from "@/lib/keys/hash";
import { getUsageSeries, getUsageTotals } from "@/lib/usage/queries";
import { flushUsage } from "@/lib/usage/recorder";
import { rangeQuery } from "../helpers/usage";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser, makeKey, postKey } from "../helpers/keys";

const testDb = withTestDb();
const TOKEN = "service-token-for-tests-0123456789";
const N = 3;

type Outcomes = Record<string, number>;

async function whoami(secret?: string, headers: Record<string, string> = {}) {
  return api(apiRequest("/api/v1/whoami", { key: secret, headers }));
}

async function verify(key: string, scope?: string) {
  const res = await api(
    apiRequest("/api/v1/verify", {
      method: "POST",
      key: TOKEN,
      body: { key, ...(scope ? { scope } : {}), ip: "198.51.100.9" },
    }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as { valid: boolean; code: string };
}

async function errorCode(res: Response) {
  return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
}

async function makeAdmin() {
  const admin = await createUser("admin");
  return testDb.current.client.user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
}

const sum = (counts: Outcomes[]) =>
  counts.reduce<Outcomes>((acc, c) => {
    for (const [o, n] of Object.entries(c)) acc[o] = (acc[o] ?? 0) + n;
    return acc;
  }, {});

describe("every request of every outcome, through the real routes, counted once and reported alike", () => {
  const expected: Outcomes = {};
  const expectedByKey: Record<string, Outcomes> = {};
  let ownerOrgId: string;
  let reader: Awaited<ReturnType<typeof makeKey>>;
  let admin: Awaited<ReturnType<typeof makeAdmin>>;

  // Notes one request the recorder must have seen.
  const made = (keyId: string, outcome: string, times = 1) => {
    expected[outcome] = (expected[outcome] ?? 0) + times;
    expectedByKey[keyId] ??= {};
    expectedByKey[keyId][outcome] = (expectedByKey[keyId][outcome] ?? 0) + times;
  };

  beforeAll(async () => {
    await flushUsage();
    await testDb.current.client.$executeRaw`TRUNCATE "UsageEvent", "UsageRollup"`;
    admin = await makeAdmin();
    const owner = await createUser("owner");
    ownerOrgId = owner.organization.id;
    reader = await makeKey(owner.id, ["read"], { name: "reader" });
    const revoked = await makeKey(owner.id, ["read"], { name: "revoked" });
    const expired = await makeKey(owner.id, ["read"], { name: "expired", expiresAt: new Date(Date.now() - 60_000) });
    await testDb.current.client.apiKey.update({
      where: { id: revoked.key.id },
      data: { revokedAt: new Date(), activeName: null },
    });
    const otherAccount = await makeKey((await createUser("bystander")).id, ["admin"], { name: "elsewhere" });

    for (let i = 0; i < N; i++) {
      expect((await whoami(reader.secret)).status).toBe(200);
      made(reader.key.id, "valid");
      // No key identified: not recorded.
      expect(await errorCode(await whoami())).toEqual({ status: 401, code: "missing_key" });
      expect(await errorCode(await whoami("kh_live_notarealkeynotarealkeynotarea1234"))).toEqual({
        status: 401,
        code: "invalid_key",
      });
      expect(await errorCode(await whoami(revoked.secret))).toEqual({ status: 401, code: "revoked_key" });
      made(revoked.key.id, "revoked_key");
      expect(await errorCode(await whoami(expired.secret))).toEqual({ status: 401, code: "expired_key" });
      made(expired.key.id, "expired_key");
      const create = postKey(reader.secret, { name: `x${i}`, environment: "test", scopes: ["read"] });
      expect(await errorCode(await create)).toEqual({ status: 403, code: "insufficient_scope" });
      made(reader.key.id, "insufficient_scope");
      expect(await errorCode(await whoami(reader.secret, { "x-client-id": "kh_client_someoneelse" }))).toEqual({
        status: 403,
        code: "client_id_mismatch",
      });
      made(reader.key.id, "client_id_mismatch");

      expect(await verify(reader.secret, "read")).toMatchObject({ valid: true, code: "VALID" });
      made(reader.key.id, "valid");
      expect(await verify(revoked.secret)).toMatchObject({ valid: false, code: "REVOKED" });
      made(revoked.key.id, "revoked_key");
      expect(await verify(reader.secret, "admin")).toMatchObject({ valid: false, code: "INSUFFICIENT_SCOPE" });
      made(reader.key.id, "insufficient_scope");
      expect(await verify("kh_test_nothing")).toMatchObject({ valid: false, code: "NOT_FOUND" });
    }

    // The reader key's record is cached now; a suspension must reach it at once, and a restoration too.
    expect(getCachedKey(hashKey(reader.secret))).toBeDefined();
    await setOrganizationSuspended(admin, { organizationId: ownerOrgId, suspended: true }, "10.0.0.1");
    for (let i = 0; i < N; i++) {
      expect(await errorCode(await whoami(reader.secret))).toEqual({ status: 403, code: "account_suspended" });
      made(reader.key.id, "account_suspended");
      expect(await verify(reader.secret)).toMatchObject({ valid: false, code: "ACCOUNT_SUSPENDED" });
      made(reader.key.id, "account_suspended");
    }
    await setOrganizationSuspended(admin, { organizationId: ownerOrgId, suspended: false }, "10.0.0.1");
    expect((await whoami(reader.secret)).status).toBe(200);
    made(reader.key.id, "valid");

    // Another organization's traffic stays out of this organization's reports.
    expect((await whoami(otherAccount.secret)).status).toBe(200);
    await flushUsage();
  });

  it("stores one event per request that identified a key, with route, method, status and outcome", async () => {
    const events = await testDb.current.client.usageEvent.findMany({ where: { organizationId: ownerOrgId } });
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(total).toBe(N * 8 + N * 2 + 1);
    expect(events.length).toBe(total);
    const shape = (e: (typeof events)[number]) => `${e.method} ${e.route} ${e.status} ${e.outcome}`;
    const seen: Record<string, number> = {};
    for (const e of events) seen[shape(e)] = (seen[shape(e)] ?? 0) + 1;
    expect(seen).toEqual({
      "GET /api/v1/whoami 200 valid": N + 1,
      "GET /api/v1/whoami 401 revoked_key": N,
      "GET /api/v1/whoami 401 expired_key": N,
      "POST /api/v1/keys 403 insufficient_scope": N,
      "GET /api/v1/whoami 403 client_id_mismatch": N,
      "GET /api/v1/whoami 403 account_suspended": N,
      "POST /api/v1/verify 200 valid": N,
      "POST /api/v1/verify 200 revoked_key": N,
      "POST /api/v1/verify 200 insufficient_scope": N,
      "POST /api/v1/verify 200 account_suspended": N,
    });
    expect(events.filter((e) => e.route === "/api/v1/verify").every((e) => e.ip === "198.51.100.9")).toBe(true);
  });

  it("the chart series, the totals table and GET /api/v1/usage give exactly the requests made", async () => {
    for (const tz of ["UTC", "Asia/Kolkata"]) {
      const now = new Date();
      const { params: p } = rangeQuery(ownerOrgId, "24h", tz, now);
      const series = await getUsageSeries(p);
      const totals = await getUsageTotals(p);

      const res = await api(apiRequest(`/api/v1/usage?range=24h&tz=${encodeURIComponent(tz)}`, { key: reader.secret }));
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        interval: string;
        data: { start: string; total: number; outcomes: Outcomes }[];
        totals: { total: number; outcomes: Outcomes; keys: { keyId: string; total: number; outcomes: Outcomes }[] };
      };
      // The usage call itself is a request with a valid key, counted from the next report on.
      await flushUsage();

      expect(sum(series.buckets.map((b) => b.outcomes))).toEqual(expected);
      expect(totals.outcomes).toEqual(expected);
      expect(body.totals.outcomes).toEqual(expected);
      expect(sum(body.data.map((b) => b.outcomes))).toEqual(expected);
      expect(body.totals.total).toBe(totals.total);
      expect(Object.fromEntries(totals.keys.map((k) => [k.keyId, k.outcomes]))).toEqual(expectedByKey);
      expect(Object.fromEntries(body.totals.keys.map((k) => [k.keyId, k.outcomes]))).toEqual(expectedByKey);
      // Bucket by bucket (the non-empty ones: a 24-hour window opened a moment later may start an hour later).
      const busy = (rows: { start: string | Date; total: number; outcomes: Outcomes }[]) =>
        rows
          .filter((r) => r.total > 0)
          .map((r) => ({ start: new Date(r.start).toISOString(), total: r.total, outcomes: r.outcomes }));
      expect(busy(body.data)).toEqual(busy(series.buckets));
      made(reader.key.id, "valid");
    }
  });

  it("a key filter gives that key's requests alone, and another organization's key is not found", async () => {
    const res = await api(apiRequest(`/api/v1/usage?range=24h&keyId=${reader.key.id}`, { key: reader.secret }));
    const body = (await res.json()) as { totals: { outcomes: Outcomes; keys: { keyId: string }[] } };
    await flushUsage();
    expect(body.totals.outcomes).toEqual(expectedByKey[reader.key.id]);
    expect(body.totals.keys.map((k) => k.keyId)).toEqual([reader.key.id]);

    const elsewhere = await testDb.current.client.apiKey.findFirstOrThrow({ where: { name: "elsewhere" } });
    const missing = await api(apiRequest(`/api/v1/usage?keyId=${elsewhere.id}`, { key: reader.secret }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: "keyId: Unknown key" } });
    const bad = await api(apiRequest("/api/v1/usage?from=2026-02-30", { key: reader.secret }));
    expect(await errorCode(bad)).toEqual({ status: 400, code: "invalid_request" });
  });
});

describe("administrators and keys", () => {
  it("a plan change also drops the organization's cached key records (they carry the organization's state)", async () => {
    const admin = await makeAdmin();
    const owner = await createUser("planned");
    const { secret } = await makeKey(owner.id, ["read"]);
    expect((await whoami(secret)).status).toBe(200);
    expect(getCachedKey(hashKey(secret))).toBeDefined();
    await changePlan(admin, { organizationId: owner.organization.id, plan: "PRO" }, null);
    expect(getCachedKey(hashKey(secret))).toBeUndefined();
  });

  it("an administrator revokes another organization's key: refused at once, audited in it with the administrator as actor", async () => {
    const admin = await makeAdmin();
    const owner = await createUser("victim");
    const { key, secret } = await makeKey(owner.id, ["read"], { name: "to-revoke" });
    expect((await whoami(secret)).status).toBe(200);
    expect(getCachedKey(hashKey(secret))).toBeDefined();

    const revoked = await revokeKeyForAdmin(admin, key.id, "10.0.0.9");
    expect(revoked.revokedAt).not.toBeNull();
    expect(await errorCode(await whoami(secret))).toEqual({ status: 401, code: "revoked_key" });
    const audit = await testDb.current.client.auditEvent.findMany({ where: { keyId: key.id, action: "key.revoked" } });
    expect(audit.map((a) => [a.organizationId, a.actorId, a.ip, a.metadata])).toEqual([
      [owner.organization.id, admin.id, "10.0.0.9", { name: "to-revoke", prefix: key.prefix }],
    ]);
    // The organization's own audit log shows it, with the administrator as actor.
    const log = await listAuditEvents({ organizationId: owner.organization.id });
    expect(log.data.map((e) => [e.action, e.actor?.email])).toEqual([
      ["key.revoked", admin.email],
      ["key.created", owner.email],
    ]);
    // Revoking again answers the same and audits nothing more.
    expect((await revokeKeyForAdmin(admin, key.id, null)).revokedAt).toBe(revoked.revokedAt);
    expect(await testDb.current.client.auditEvent.count({ where: { keyId: key.id, action: "key.revoked" } })).toBe(1);
    await expect(revokeKeyForAdmin(admin, "no-such-key", null)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses a non-administrator and leaves the key alone", async () => {
    const someone = await createUser("someone");
    const owner = await createUser("owner2");
    const { key, secret } = await makeKey(owner.id, ["read"]);
    await expect(revokeKeyForAdmin(someone, key.id, null)).rejects.toBeInstanceOf(ApiError);
    await expect(listKeysForAdmin(someone, { limit: 10 })).rejects.toMatchObject({ code: "forbidden" });
    expect((await whoami(secret)).status).toBe(200);
    expect(await testDb.current.client.auditEvent.count({ where: { keyId: key.id, action: "key.revoked" } })).toBe(0);
  });

  it("lists every organization's keys with their organization, searchable by prefix start or name, in keyset pages", async () => {
    const admin = await makeAdmin();
    const owner = await createUser("lister");
    const made = [];
    for (const name of ["Billing service", "billing-cron", "search-indexer"])
      made.push(await makeKey(owner.id, ["read"], { name }));

    const byName = await listKeysForAdmin(admin, { q: "BILLING", limit: 10 });
    const { id, slug, name } = owner.organization;
    expect(byName.data.map((k) => [k.name, k.organization])).toEqual([
      ["billing-cron", { id, slug, name }],
      ["Billing service", { id, slug, name }],
    ]);
    const byPrefix = await listKeysForAdmin(admin, { q: made[2].key.prefix, limit: 10 });
    expect(byPrefix.data.map((k) => k.id)).toEqual([made[2].key.id]);

    const all = await listKeysForAdmin(admin, { limit: 1000 });
    const total = await testDb.current.client.apiKey.count();
    expect(all.data.length).toBe(total);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listKeysForAdmin(admin, { cursor, limit: 4 });
      paged.push(...page.data.map((k) => k.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(all.data.map((k) => k.id));
    const first = await listKeysForAdmin(admin, { q: "billing", limit: 1 });
    const second = await listKeysForAdmin(admin, { q: "billing", cursor: first.nextCursor!, limit: 1 });
    expect([...first.data, ...second.data].map((k) => k.name)).toEqual(["billing-cron", "Billing service"]);
    expect(second.nextCursor).toBeNull();
  });
});
