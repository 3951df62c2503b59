// Request governance through the real handlers: IP allowlists (client IP from the stamped peer, X-Forwarded-For ignored
// without TRUST_PROXY), per-key rate limits with honest headers, the gateway's codes, bad input, and the step-up policy
// of the dashboard's key actions. tests/integration/governance-proxy.test.ts covers a trusted proxy.
process.env.KEYHOLD_SERVICE_TOKEN = "service-token-for-tests-0123456789";

import { afterAll, describe, expect, it } from "vitest";
import { changePlan } from "@/lib/admin/organizations";
import { db } from "@/lib/db";
import { invalidateCachedKey } from "@/lib/keys/cache";
import { updateKey } from "@/lib/keys/service";
import { keyStepUpGuard, requireKeyStepUp } from "@/lib/keys/step-up-policy";
import { STEP_UP_WINDOW_MS } from "@/lib/mfa/step-up";
import { KeyRateLimiter, rateLimiter, setRateLimiter } from "@/lib/ratelimit/limiter";
import { createKeySchema, updateKeySchema } from "@/lib/validations/keys";
import { api, apiRequest, createUser, errorOf, fromPeer, makeKey, ownerActor, postKey } from "../helpers/keys";
import { withTestDb } from "../helpers/db";

withTestDb();
const TOKEN = "service-token-for-tests-0123456789";
const office = [{ value: "10.0.0.0/24", note: "office" }];

function whoamiFrom(secret: string, headers: Record<string, string>) {
  return api(apiRequest("/api/v1/whoami", { key: secret, headers }));
}

function rateHeaders(res: Response) {
  return ["x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after"].map((h) =>
    res.headers.get(h),
  );
}

async function verify(body: unknown) {
  const res = await api(apiRequest("/api/v1/verify", { method: "POST", key: TOKEN, body }));
  expect(res.status).toBe(200);
  return res.json();
}

describe("IP allowlist without a trusted proxy", () => {
  it("lets an address inside a range through and refuses one outside with 403 ip_not_allowed (not counted)", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["read"], { ipAllowlist: office });
    const ok = await whoamiFrom(secret, fromPeer("10.0.0.7"));
    expect(ok.status).toBe(200);
    const refused = await whoamiFrom(secret, fromPeer("10.0.1.7"));
    expect(await errorOf(refused)).toMatchObject({ status: 403, code: "ip_not_allowed" });
    expect(rateHeaders(refused)).toEqual([null, null, null, null]);
  });

  it("ignores a forged X-Forwarded-For: the stamped peer address decides", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["read"], { ipAllowlist: office });
    expect(await errorOf(await whoamiFrom(secret, fromPeer("127.0.0.1", "10.0.0.5")))).toMatchObject({
      status: 403,
      code: "ip_not_allowed",
    });
    // An unsigned peer header is no address at all, and an allowlisted key refuses an unknown address.
    const unsigned = { "x-keyhold-peer": "10.0.0.5", "x-keyhold-peer-sig": "forged", "x-forwarded-for": "10.0.0.5" };
    expect(await errorOf(await whoamiFrom(secret, unsigned))).toMatchObject({ status: 403, code: "ip_not_allowed" });
  });

  it("matches an IPv4-mapped IPv6 peer against IPv4 ranges, and IPv6 peers against IPv6 ranges", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["read"], { ipAllowlist: [...office, { value: "2001:db8::/32" }] });
    expect((await whoamiFrom(secret, fromPeer("::ffff:10.0.0.9"))).status).toBe(200);
    expect((await whoamiFrom(secret, fromPeer("2001:db8:0:1::5"))).status).toBe(200);
    expect((await whoamiFrom(secret, fromPeer("2001:db9::5"))).status).toBe(403);
    expect((await whoamiFrom(secret, fromPeer("::ffff:10.0.1.9"))).status).toBe(403);
  });

  it("an empty allowlist allows any address; a PATCHed list applies to the next request at once", async () => {
    const user = await createUser();
    const admin = await makeKey(user.id, ["admin"]);
    const target = await makeKey(user.id, ["read"]);
    expect((await whoamiFrom(target.secret, fromPeer("198.51.100.4"))).status).toBe(200);
    const res = await api(
      apiRequest(`/api/v1/keys/${target.key.id}`, {
        method: "PATCH",
        key: admin.secret,
        body: { ipAllowlist: [{ value: "10.0.0.1/24", note: " office " }] },
      }),
    );
    expect((await res.json()).ipAllowlist).toEqual(office);
    expect((await whoamiFrom(target.secret, fromPeer("198.51.100.4"))).status).toBe(403);
    await api(
      apiRequest(`/api/v1/keys/${target.key.id}`, { method: "PATCH", key: admin.secret, body: { ipAllowlist: [] } }),
    );
    expect((await whoamiFrom(target.secret, fromPeer("198.51.100.4"))).status).toBe(200);
    const audit = await db.auditEvent.findMany({
      where: { keyId: target.key.id, action: "key.updated" },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.metadata)).toEqual([{ ipAllowlist: ["10.0.0.0/24"] }, { ipAllowlist: [] }]);
  });
});

describe("rate limits", () => {
  const original = rateLimiter();
  afterAll(() => setRateLimiter(original));

  it("allows the key's limit, then 429 rate_limited with Retry-After; headers on every counted answer", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["read"], { rateLimit: 3 });
    // The window opens when the first request is counted (between `sent` and `firstDone`) and ends 60 s later;
    // the bounds come from those clocks, as a slow first request on a loaded machine moves them.
    const sent = Date.now();
    const answers = [await whoamiFrom(secret, fromPeer("127.0.0.1"))];
    const firstDone = Date.now();
    for (let i = 1; i < 4; i++) answers.push(await whoamiFrom(secret, fromPeer("127.0.0.1")));
    const done = Date.now();
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((r) => r.headers.get("x-ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
    for (const r of answers) expect(r.headers.get("x-ratelimit-limit")).toBe("3");
    const [, , , refused] = answers;
    expect(await errorOf(refused)).toMatchObject({ code: "rate_limited" });
    const retryAfter = Number(refused.headers.get("retry-after"));
    const reset = Number(refused.headers.get("x-ratelimit-reset"));
    expect(retryAfter).toBeGreaterThanOrEqual(Math.floor((sent + 60_000 - done) / 1000));
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(reset).toBeGreaterThanOrEqual(Math.floor(sent / 1000) + 59);
    expect(reset).toBeLessThanOrEqual(Math.ceil(firstDone / 1000) + 61);
    // Every answer in the window names the same end, give or take the second it may straddle.
    expect(Math.abs(Number(answers[0].headers.get("x-ratelimit-reset")) - reset)).toBeLessThanOrEqual(1);
    expect(answers[0].headers.get("retry-after")).toBeNull();
  });

  it("counts only requests that passed every other check; a handler's own error still carries the headers", async () => {
    const user = await createUser();
    const { key, secret } = await makeKey(user.id, ["read"], { rateLimit: 2, ipAllowlist: office });
    for (let i = 0; i < 3; i++) {
      expect((await whoamiFrom(secret, fromPeer("192.0.2.1"))).status).toBe(403);
      const denied = await api(
        apiRequest("/api/v1/keys", { method: "POST", key: secret, headers: fromPeer("10.0.0.1"), body: {} }),
      );
      expect(await errorOf(denied)).toMatchObject({ status: 403, code: "insufficient_scope" });
    }
    const missing = await api(apiRequest("/api/v1/keys/nope", { key: secret, headers: fromPeer("10.0.0.1") }));
    expect(missing.status).toBe(404);
    expect(rateHeaders(missing).slice(0, 2)).toEqual(["2", "1"]);
    const mine = await api(apiRequest(`/api/v1/keys/${key.id}`, { key: secret, headers: fromPeer("10.0.0.1") }));
    expect(rateHeaders(mine).slice(0, 2)).toEqual(["2", "0"]);
  });

  it("defaults to the organization's plan, and a plan change reaches the key with the next record refresh", async () => {
    const user = await createUser();
    const adminUser = await createUser("admin");
    const { key, secret } = await makeKey(user.id, ["read"]);
    expect((await whoamiFrom(secret, fromPeer("127.0.0.1"))).headers.get("x-ratelimit-limit")).toBe("60");
    await changePlan({ id: adminUser.id, role: "ADMIN" }, { organizationId: user.organization.id, plan: "PRO" }, null);
    // The record is cached for at most KEY_CACHE_TTL_MS (5 s); dropping it stands for that time passing.
    invalidateCachedKey(key.id);
    const res = await whoamiFrom(secret, fromPeer("127.0.0.1"));
    expect(rateHeaders(res).slice(0, 2)).toEqual(["600", "598"]);
  });

  it("opens a new window when the old one ends", async () => {
    // A 3 s window: a slow request on a loaded machine must not outlast it before the refusal is seen.
    setRateLimiter(new KeyRateLimiter({ kind: "memory" }, 3));
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["read"], { rateLimit: 1 });
    expect((await whoamiFrom(secret, fromPeer("127.0.0.1"))).status).toBe(200);
    const refused = await whoamiFrom(secret, fromPeer("127.0.0.1"));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 100));
    const again = await whoamiFrom(secret, fromPeer("127.0.0.1"));
    expect(again.status).toBe(200);
    expect(rateHeaders(again).slice(0, 2)).toEqual(["1", "0"]);
    setRateLimiter(original);
  });
});

describe("POST /api/v1/verify governance codes", () => {
  it("IP_NOT_ALLOWED (also without an ip), then RATE_LIMITED with the ratelimit object", async () => {
    const user = await createUser();
    const { key, secret } = await makeKey(user.id, ["read"], { ipAllowlist: office, rateLimit: 2 });
    for (const body of [{ key: secret, ip: "192.0.2.1" }, { key: secret }]) {
      expect(await verify(body)).toMatchObject({
        valid: false,
        code: "IP_NOT_ALLOWED",
        keyId: key.id,
        ratelimit: null,
      });
    }
    const first = await verify({ key: secret, ip: "::ffff:10.0.0.3" });
    expect(first).toMatchObject({
      valid: true,
      code: "VALID",
      ratelimit: { limit: 2, remaining: 1, reset: expect.any(Number) },
    });
    expect(await verify({ key: secret, ip: "10.0.0.3" })).toMatchObject({
      valid: true,
      ratelimit: { limit: 2, remaining: 0, reset: first.ratelimit.reset },
    });
    expect(await verify({ key: secret, ip: "10.0.0.3" })).toEqual({
      valid: false,
      code: "RATE_LIMITED",
      keyId: key.id,
      ownerId: user.id,
      organizationId: user.organization.id,
      clientId: user.organization.clientId,
      scopes: ["read"],
      permissions: [],
      expiresAt: null,
      ratelimit: { limit: 2, remaining: 0, reset: first.ratelimit.reset },
      credits: null,
    });
  });
});

describe("bad governance input: 400 invalid_request naming the field, nothing written", () => {
  const entries = (...values: string[]) => values.map((value) => ({ value }));
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "a malformed address",
      { ipAllowlist: entries("10.0.0.300") },
      "ipAllowlist.0.value: 10.0.0.300 is not an IP address",
    ],
    [
      "a malformed third entry",
      { ipAllowlist: entries("10.0.0.0/24", "2001:db8::1", "10.0.0.300") },
      "ipAllowlist.2.value: 10.0.0.300 is not an IP address",
    ],
    [
      "an IPv4 prefix too long",
      { ipAllowlist: entries("10.0.0.0/33") },
      "ipAllowlist.0.value: /33 is too long for IPv4",
    ],
    [
      "an IPv6 prefix too long",
      { ipAllowlist: entries("2001:db8::/129") },
      "ipAllowlist.0.value: /129 is too long for IPv6",
    ],
    [
      "a prefix that is not a number",
      { ipAllowlist: entries("10.0.0.0/x") },
      "ipAllowlist.0.value: /x is not a prefix length",
    ],
    ["leading zeros", { ipAllowlist: entries("010.0.0.1") }, "ipAllowlist.0.value: 010.0.0.1 is not an IP address"],
    [
      "a zone id",
      { ipAllowlist: entries("fe80::1%eth0") },
      "ipAllowlist.0.value: fe80::1%eth0 has a zone id, which an allowlist cannot match",
    ],
    [
      "more than 100 entries",
      { ipAllowlist: Array.from({ length: 101 }, (_, i) => ({ value: `10.0.${i}.1` })) },
      "ipAllowlist: At most 100 entries per key",
    ],
    [
      "a duplicate after normalisation",
      { ipAllowlist: entries("10.0.0.0/24", "10.0.0.77/24") },
      "ipAllowlist.1.value: 10.0.0.0/24 is already in the list (entry 1)",
    ],
    ["a list that is not a list", { ipAllowlist: "10.0.0.1" }, "ipAllowlist: ipAllowlist must be a list of entries"],
    ["a limit of 0", { rateLimit: 0 }, "rateLimit: Rate limit must be at least 1 request per minute"],
    ["a negative limit", { rateLimit: -10 }, "rateLimit: Rate limit must be at least 1 request per minute"],
    ["an absurd limit", { rateLimit: 1e9 }, "rateLimit: Rate limit must be at most 100000 requests per minute"],
    ["a fractional limit", { rateLimit: 1.5 }, "rateLimit: Rate limit must be a whole number of requests per minute"],
    [
      "a limit as text",
      { rateLimit: "600" },
      "rateLimit: Rate limit must be a number of requests per minute, or null for the plan's default",
    ],
  ];

  it.each(cases)("POST and PATCH refuse %s", async (_label, fields, message) => {
    const user = await createUser();
    const admin = await makeKey(user.id, ["admin"]);
    const target = await makeKey(user.id, ["read"], { ipAllowlist: office, rateLimit: 30 });
    const keysBefore = await db.apiKey.count();
    const auditBefore = await db.auditEvent.count();
    const created = await postKey(admin.secret, { name: "governed", environment: "live", scopes: ["read"], ...fields });
    expect(await errorOf(created)).toEqual({ status: 400, code: "invalid_request", message });
    const patched = await api(
      apiRequest(`/api/v1/keys/${target.key.id}`, {
        method: "PATCH",
        key: admin.secret,
        body: { name: "renamed", ...fields },
      }),
    );
    expect(await errorOf(patched)).toEqual({ status: 400, code: "invalid_request", message });
    expect(await db.apiKey.count()).toBe(keysBefore);
    expect(await db.auditEvent.count()).toBe(auditBefore);
    expect(await db.apiKey.findUniqueOrThrow({ where: { id: target.key.id } })).toMatchObject({
      name: target.key.name,
      ipAllowlist: office,
      rateLimit: 30,
    });
  });

  it("accepts a normalised list and a limit on create, and null restores the plan default", async () => {
    const user = await createUser();
    const admin = await makeKey(user.id, ["admin"]);
    const res = await postKey(admin.secret, {
      name: "governed",
      environment: "live",
      scopes: ["read"],
      ipAllowlist: entries("10.0.0.1/24", "::FFFF:192.0.2.1", "2001:DB8::/32"),
      rateLimit: 60,
    });
    expect(res.status).toBe(201);
    const { key } = await res.json();
    expect(key).toMatchObject({ ipAllowlist: entries("10.0.0.0/24", "192.0.2.1", "2001:db8::/32"), rateLimit: 60 });
    const cleared = await api(
      apiRequest(`/api/v1/keys/${key.id}`, { method: "PATCH", key: admin.secret, body: { rateLimit: null } }),
    );
    expect(await cleared.json()).toMatchObject({
      rateLimit: null,
      ipAllowlist: entries("10.0.0.0/24", "192.0.2.1", "2001:db8::/32"),
    });
  });
});

describe("a key's own limit stays within its plan", () => {
  it("refuses a limit above the plan's on create and patch, naming rateLimit, and writes nothing", async () => {
    const user = await createUser();
    const admin = await makeKey(user.id, ["admin"]);
    const before = await db.apiKey.count({ where: { organizationId: user.organization.id } });
    const res = await postKey(admin.secret, { name: "greedy", environment: "live", scopes: ["read"], rateLimit: 61 });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        code: "invalid_request",
        message: "rateLimit: Your free plan allows at most 60 requests per minute per key",
      },
    });
    expect(await db.apiKey.count({ where: { organizationId: user.organization.id } })).toBe(before);
    const patched = await api(
      apiRequest(`/api/v1/keys/${admin.key.id}`, { method: "PATCH", key: admin.secret, body: { rateLimit: 600 } }),
    );
    expect(patched.status).toBe(400);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: admin.key.id } })).rateLimit).toBeNull();
  });

  it("allows up to the plan's limit on a larger plan, and a downgrade lowers higher key limits to the new plan's", async () => {
    const user = await createUser();
    await db.organization.update({ where: { id: user.organization.id }, data: { plan: "PRO" } });
    const admin = await makeKey(user.id, ["admin"]);
    const patched = await api(
      apiRequest(`/api/v1/keys/${admin.key.id}`, { method: "PATCH", key: admin.secret, body: { rateLimit: 600 } }),
    );
    expect(patched.status).toBe(200);
    const operator = await createUser("admin");
    await changePlan({ id: operator.id, role: "ADMIN" }, { organizationId: user.organization.id, plan: "FREE" }, null);
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: admin.key.id } })).rateLimit).toBe(60);
  });
});

describe("dashboard step-up policy for governance changes", () => {
  const now = Date.now();
  const fresh = { stepUpAt: now - 60_000 };
  const stale = { stepUpAt: now - STEP_UP_WINDOW_MS - 1 };
  const base = { name: "k", environment: "live", scopes: ["read"] };

  async function actors() {
    const plain = await createUser("plain");
    const enrolled = await db.user.update({
      where: { id: (await createUser("mfa")).id },
      data: { mfaEnabledAt: new Date() },
    });
    return { plain, enrolled };
  }

  it("generating a key with an allowlist needs MFA enrolled and a fresh step-up", async () => {
    const { plain, enrolled } = await actors();
    const withList = createKeySchema.parse({ ...base, ipAllowlist: office });
    const without = createKeySchema.parse({ ...base, rateLimit: 10 });
    const create = (data: typeof withList) => ({ action: "create" as const, data });
    expect(() => requireKeyStepUp({ user: plain, token: fresh }, null, create(withList), now)).toThrow(
      expect.objectContaining({ code: "mfa_required" }),
    );
    expect(() => requireKeyStepUp({ user: plain, token: {} }, null, create(without), now)).not.toThrow();
    expect(() => requireKeyStepUp({ user: enrolled, token: stale }, null, create(withList), now)).toThrow(
      expect.objectContaining({ code: "step_up_required" }),
    );
    expect(() => requireKeyStepUp({ user: enrolled, token: fresh }, null, create(withList), now)).not.toThrow();
  });

  it("changing a key's allowlist needs MFA enrolled and a fresh step-up; an unchanged list or a limit alone does not", async () => {
    const { plain, enrolled } = await actors();
    const plainKey = await makeKey(plain.id, ["read"], { ipAllowlist: office });
    const mfaKey = await makeKey(enrolled.id, ["read"], { ipAllowlist: office });
    const change = updateKeySchema.parse({ ipAllowlist: [{ value: "192.0.2.0/24" }] });
    const clear = updateKeySchema.parse({ ipAllowlist: [] });
    const same = updateKeySchema.parse({ ipAllowlist: [{ value: "10.0.0.1/24", note: "office" }] });
    const limitOnly = updateKeySchema.parse({ rateLimit: 5, name: "renamed" });
    const plainRow = await db.apiKey.findUniqueOrThrow({ where: { id: plainKey.key.id } });
    const mfaRow = await db.apiKey.findUniqueOrThrow({ where: { id: mfaKey.key.id } });
    const update = (data: typeof change) => ({ action: "update" as const, data });
    expect(() => requireKeyStepUp({ user: plain, token: fresh }, plainRow, update(change), now)).toThrow(
      expect.objectContaining({ code: "mfa_required" }),
    );
    expect(() => requireKeyStepUp({ user: plain, token: fresh }, plainRow, update(clear), now)).toThrow(
      expect.objectContaining({ code: "mfa_required" }),
    );
    expect(() => requireKeyStepUp({ user: plain, token: {} }, plainRow, update(same), now)).not.toThrow();
    expect(() => requireKeyStepUp({ user: plain, token: {} }, plainRow, update(limitOnly), now)).not.toThrow();
    expect(() => requireKeyStepUp({ user: enrolled, token: stale }, mfaRow, update(change), now)).toThrow(
      expect.objectContaining({ code: "step_up_required" }),
    );
    expect(() => requireKeyStepUp({ user: enrolled, token: {} }, mfaRow, update(limitOnly), now)).not.toThrow();
    expect(() => requireKeyStepUp({ user: enrolled, token: fresh }, mfaRow, update(change), now)).not.toThrow();
    // Another organization's key is not found, whatever the change: the service loads the key before the guard sees it.
    const guard = { authorize: keyStepUpGuard({ user: enrolled, token: fresh }) };
    await expect(
      updateKey(await ownerActor(enrolled.id), plainKey.key.id, change, { ip: null }, guard),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
