// @keyhold/sdk's client against a real Keyhold API: every route's method, typed errors, configuration precedence and
// the credentials file, and retries (Retry-After, idempotency, timeouts) against a scripted local server.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyhold } from "@keyhold/sdk";
import { credentialsPath, readProfiles, removeProfile, resolveConfig, saveProfile } from "@keyhold/sdk/credentials";
import { admin, createTestKey, fixture, rejection, secondCallRefused, withFixture } from "./fixture";

withFixture();

describe("Keyhold client: every route", () => {
  it("ping, whoami, organization, members, permissions", async () => {
    expect((await admin.ping()).status).toBe("ok");
    const who = await admin.whoami();
    expect(who.key.id).toBe(fixture.keys.admin.id);
    expect(who.clientId).toBe(fixture.organization.clientId);
    expect(who.organization.slug).toBe("fixture");
    expect((await admin.organization()).policies).toHaveProperty("leakResponse");
    expect((await admin.members.list()).data[0].email).toBe("fixture@example.com");
    expect((await admin.permissions.list()).data.map((p) => p.name)).toContain("inference:write");
  });

  it("replaces the permission catalogue with the service token", async () => {
    const service = new Keyhold({ endpoint: fixture.endpoint, serviceToken: fixture.serviceToken, env: {} });
    const catalogue = (await admin.permissions.list()).data;
    const next = [...catalogue, { name: "billing:read", description: "Read invoices" }];
    const answer = await service.permissions.replace({ permissions: next });
    expect(answer.data.map((p) => p.name)).toContain("billing:read");
    const wrong = new Keyhold({ endpoint: fixture.endpoint, serviceToken: "svc_wrong", env: {} });
    const err = await rejection(wrong.permissions.replace({ permissions: next }));
    expect([err.status, err.code]).toEqual([401, "invalid_key"]);
  });

  it("creates, lists, reads, updates, rotates and revokes keys", async () => {
    const created = await createTestKey("sdk-crud", { permissions: ["inference:read"] });
    expect(created.secret).toMatch(/^kh_test_/);
    expect(created.key.permissions).toEqual(["inference:read"]);
    const viaNew = new Keyhold({ endpoint: fixture.endpoint, apiKey: created.secret, env: {} });
    expect((await viaNew.whoami()).key.id).toBe(created.key.id);

    expect((await admin.keys.list({ limit: 100 })).data.map((k) => k.id)).toContain(created.key.id);
    const all = [];
    for await (const key of admin.keys.all(1)) all.push(key.id);
    expect(all).toContain(created.key.id);
    expect(new Set(all).size).toBe(all.length);
    expect((await admin.keys.get(created.key.id)).name).toBe("sdk-crud");
    expect((await admin.keys.update(created.key.id, { name: "sdk-renamed", rateLimit: 30 })).rateLimit).toBe(30);

    const rotated = await admin.keys.rotate(created.key.id, { gracePeriodSeconds: 0 });
    expect(rotated.secret).not.toBe(created.secret);
    expect((await new Keyhold({ endpoint: fixture.endpoint, apiKey: rotated.secret, env: {} }).whoami()).key.id).toBe(
      created.key.id,
    );
    expect((await rejection(viaNew.whoami())).status).toBe(401);

    const revoked = await admin.keys.revoke(created.key.id);
    expect(revoked.revokedAt).not.toBeNull();
    expect((await admin.keys.revoke(created.key.id)).revokedAt).toBe(revoked.revokedAt);
  });

  it("reads usage and verifies with the service token", async () => {
    const usage = await admin.usage({ range: "24h", interval: "hour" });
    expect(usage.interval).toBe("hour");
    expect(usage.data.length).toBeGreaterThanOrEqual(24);
    expect(usage.totals).toHaveProperty("successRate");
    const service = new Keyhold({ endpoint: fixture.endpoint, serviceToken: fixture.serviceToken, env: {} });
    const verdict = await service.verify(fixture.keys.read.secret, { scope: "read" });
    expect([verdict.valid, verdict.code, verdict.keyId]).toEqual([true, "VALID", fixture.keys.read.id]);
    expect((await service.verify(fixture.keys.read.secret, { scope: "admin" })).code).toBe("INSUFFICIENT_SCOPE");
  });

  it("manages webhook endpoints and reads their delivery log; reports a leak", async () => {
    // A host that never resolves: accepted at creation (every attempt re-checks it), so nothing is sent anywhere.
    const created = await admin.webhooks.create({
      url: "https://hooks.keyhold-sdk-test.invalid/in",
      events: ["key.created"],
      description: "sdk test",
    });
    expect(created.secret).toMatch(/^whsec_/);
    const id = created.webhook.id;
    expect((await admin.webhooks.list()).data.map((w) => w.id)).toContain(id);
    expect((await admin.webhooks.update(id, { description: "renamed" })).description).toBe("renamed");
    expect((await admin.webhooks.get(id)).events).toEqual(["key.created"]);

    // A key created now queues a key.created delivery to the endpoint.
    await admin.keys.create({ name: "sdk-webhook-trigger", environment: "test", scopes: ["read"] });
    const log = await admin.webhooks.deliveries(id, { limit: 10 });
    expect(log.data.map((d) => d.eventType)).toContain("key.created");
    const redelivered = await admin.webhooks.redeliver(id, log.data[0].id);
    expect(redelivered.id).toBe(log.data[0].id);
    // A test event: one signed webhook.test delivery to this endpoint, queued through the normal delivery path.
    const sent = await admin.webhooks.test(id);
    expect(sent).toEqual({ deliveryId: expect.any(String), eventId: expect.stringMatching(/^evt_/) });
    const tested = (await admin.webhooks.deliveries(id, { limit: 10 })).data.find((d) => d.id === sent.deliveryId);
    expect(tested).toMatchObject({ eventId: sent.eventId, eventType: "webhook.test", status: "pending" });
    expect((await rejection(admin.webhooks.test("no-such-webhook"))).status).toBe(404);

    expect(await admin.webhooks.delete(id)).toEqual({ id, deleted: true });
    const gone = await rejection(admin.webhooks.get(id));
    expect([gone.status, gone.code]).toEqual([404, "not_found"]);
    const readOnly = new Keyhold({ endpoint: fixture.endpoint, apiKey: fixture.keys.read.secret, env: {} });
    expect((await rejection(readOnly.webhooks.list())).code).toBe("insufficient_scope");

    // Anyone may report a key: the same 202 answer whatever it is.
    const anonymous = new Keyhold({ endpoint: fixture.endpoint, env: {} });
    expect(await anonymous.reportLeak({ key: "kh_live_not-a-real-key" })).toEqual({ status: "received" });
  });
});

describe("Keyhold client: typed errors", () => {
  it("carries Keyhold's code, status and message", async () => {
    const notFound = await rejection(admin.keys.get("no-such-key"));
    expect([notFound.status, notFound.code]).toEqual([404, "not_found"]);

    const bad = await rejection(admin.keys.create({ name: "x", environment: "test", scopes: [] }));
    expect([bad.status, bad.code]).toEqual([400, "invalid_request"]);
    expect(bad.message).toMatch(/^scopes: /);

    const reader = new Keyhold({ endpoint: fixture.endpoint, apiKey: fixture.keys.read.secret, env: {} });
    const scope = await rejection(reader.keys.create({ name: "nope", environment: "test", scopes: ["read"] }));
    expect([scope.status, scope.code]).toEqual([403, "insufficient_scope"]);

    const invalid = new Keyhold({ endpoint: fixture.endpoint, apiKey: "kh_test_notarealkey", env: {} });
    expect((await rejection(invalid.whoami())).code).toBe("invalid_key");

    const mismatch = new Keyhold({
      endpoint: fixture.endpoint,
      apiKey: fixture.keys.read.secret,
      clientId: "kh_client_someoneelse",
      env: {},
    });
    expect((await rejection(mismatch.whoami())).code).toBe("client_id_mismatch");
  });

  it("says how to configure when nothing is", async () => {
    const none = new Keyhold({ env: { XDG_CONFIG_HOME: mkdtempSync(path.join(tmpdir(), "kh-empty-")) } });
    const err = await rejection(none.whoami());
    expect(err.code).toBe("no_credentials");
    expect(err.message).toBe("no credentials: run `keyhold login` or set KEYHOLD_API_KEY");
  });

  it("answers a rate-limited call with rate_limited and Retry-After at once, without waiting", async () => {
    const { err, calls } = await secondCallRefused("sdk-limited");
    expect([err.status, err.code]).toEqual([429, "rate_limited"]);
    expect(err.retryAfter).toBeGreaterThan(1);
    expect(calls).toBe(2);
  });
});

describe("Keyhold client: configuration", () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(path.join(tmpdir(), "kh-config-"));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("writes the credentials file with mode 0600 holding only the profiles", () => {
    const env = { XDG_CONFIG_HOME: path.join(home, "xdg") };
    const file = saveProfile("default", { endpoint: fixture.endpoint, apiKey: fixture.keys.admin.secret }, env);
    expect(file).toBe(path.join(home, "xdg", "keyhold", "credentials.json"));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    saveProfile("other", { endpoint: "http://other.invalid", apiKey: "kh_test_other", clientId: "kh_client_x" }, env);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      profiles: {
        default: { endpoint: fixture.endpoint, apiKey: fixture.keys.admin.secret },
        other: { endpoint: "http://other.invalid", apiKey: "kh_test_other", clientId: "kh_client_x" },
      },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(removeProfile("other", env)).toBe(true);
    expect(Object.keys(readProfiles(env))).toEqual(["default"]);
  });

  it("falls back to ~/.config without XDG_CONFIG_HOME", () => {
    expect(credentialsPath({ HOME: "/home/someone" })).toBe("/home/someone/.config/keyhold/credentials.json");
  });

  it("takes arguments over KEYHOLD_* over the credentials file, field by field", async () => {
    const env: Record<string, string> = { XDG_CONFIG_HOME: path.join(home, "precedence") };
    saveProfile("default", { endpoint: fixture.endpoint, apiKey: fixture.keys.admin.secret }, env);
    saveProfile("reader", { endpoint: fixture.endpoint, apiKey: fixture.keys.read.secret }, env);

    expect((await new Keyhold({ env }).whoami()).key.id).toBe(fixture.keys.admin.id);
    expect((await new Keyhold({ env, profile: "reader" }).whoami()).key.id).toBe(fixture.keys.read.id);
    expect((await new Keyhold({ env: { ...env, KEYHOLD_PROFILE: "reader" } }).whoami()).key.id).toBe(
      fixture.keys.read.id,
    );

    const withEnv = { ...env, KEYHOLD_API_KEY: fixture.keys.read.secret };
    expect((await new Keyhold({ env: withEnv }).whoami()).key.id).toBe(fixture.keys.read.id);
    expect((await new Keyhold({ env: withEnv, apiKey: fixture.keys.admin.secret }).whoami()).key.id).toBe(
      fixture.keys.admin.id,
    );

    const badEndpoint = { ...env, KEYHOLD_ENDPOINT: "http://127.0.0.1:9" };
    expect((await rejection(new Keyhold({ env: badEndpoint, maxRetries: 0 }).whoami())).code).toBe("network_error");
    expect((await new Keyhold({ env: badEndpoint, endpoint: fixture.endpoint }).whoami()).key.id).toBe(
      fixture.keys.admin.id,
    );

    expect(resolveConfig({}, withEnv).sources).toEqual({ apiKey: "environment", endpoint: "credentials file" });
  });
});

// A local server answering each request with the next scripted reply (status, headers), recording when each came.
async function scripted(replies: { status: number; headers?: Record<string, string>; hang?: boolean }[]) {
  const seen: { method: string; at: number }[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push({ method: req.method ?? "", at: Date.now() });
    const reply = replies[Math.min(seen.length - 1, replies.length - 1)];
    req.resume();
    if (reply.hang) return;
    const body =
      reply.status < 400
        ? { status: "ok", time: new Date().toISOString(), ip: null }
        : { error: { code: reply.status === 429 ? "rate_limited" : "internal_error", message: "scripted" } };
    res.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { endpoint, seen, close };
}

describe("Keyhold client: retries and timeouts", () => {
  it("never waits for a 429, even a short Retry-After", async () => {
    const s = await scripted([{ status: 429, headers: { "Retry-After": "1" } }, { status: 200 }]);
    try {
      const client = new Keyhold({ endpoint: s.endpoint, apiKey: "kh_test_x", env: {} });
      const err = await rejection(client.ping());
      expect([err.status, err.code, err.retryAfter]).toEqual([429, "rate_limited", 1]);
      expect(s.seen).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it("gives up after maxRetries with the last error", async () => {
    const s = await scripted([{ status: 503, headers: { "Retry-After": "0" } }]);
    try {
      const client = new Keyhold({ endpoint: s.endpoint, apiKey: "kh_test_x", env: {}, maxRetries: 2 });
      const err = await rejection(client.whoami());
      expect(err.status).toBe(503);
      expect(s.seen).toHaveLength(3);
    } finally {
      await s.close();
    }
  });

  it("retries a 500 for a GET but not for a POST that may have done its work", async () => {
    const s = await scripted([{ status: 500 }, { status: 200 }]);
    try {
      const client = new Keyhold({ endpoint: s.endpoint, apiKey: "kh_test_x", env: {} });
      expect((await client.ping()).status).toBe("ok");
      expect(s.seen.map((r) => r.method)).toEqual(["GET", "GET"]);
    } finally {
      await s.close();
    }
    const p = await scripted([{ status: 500 }, { status: 200 }]);
    try {
      const client = new Keyhold({ endpoint: p.endpoint, apiKey: "kh_test_x", env: {} });
      const err = await rejection(client.keys.create({ name: "n", environment: "test", scopes: ["read"] }));
      expect(err.status).toBe(500);
      expect(p.seen).toHaveLength(1);
    } finally {
      await p.close();
    }
  });

  it("retries network failures only for repeatable requests", async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new TypeError("fetch failed"));
    };
    const client = new Keyhold({ endpoint: "http://127.0.0.1:9", apiKey: "kh_test_x", env: {}, fetch: failing });
    expect((await rejection(client.whoami())).code).toBe("network_error");
    expect(calls).toBe(3);
    calls = 0;
    expect((await rejection(client.keys.rotate("k1"))).code).toBe("network_error");
    expect(calls).toBe(1);
    calls = 0;
    expect((await rejection(client.keys.revoke("k1"))).code).toBe("network_error");
    expect(calls).toBe(3);
  });

  // CI once hung here for 60 s: Node's fetch follows a signal given through `new Request(request, { signal })` only by
  // weak references, so a garbage collection while waiting lost the abort. Collecting every few milliseconds made the
  // old transport hang every time.
  it("times out an attempt that gets no answer, even while garbage is collected", async () => {
    const s = await scripted([{ status: 200, hang: true }]);
    const gc = setInterval(() => (globalThis as { gc?: () => void }).gc?.(), 5);
    try {
      expect(typeof (globalThis as { gc?: unknown }).gc).toBe("function");
      const client = new Keyhold({ endpoint: s.endpoint, apiKey: "kh_test_x", env: {}, timeoutMs: 200, maxRetries: 0 });
      const started = Date.now();
      const err = await rejection(client.whoami());
      expect([err.code, err.status]).toEqual(["timeout", 0]);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      clearInterval(gc);
      await s.close();
    }
  }, 10_000);

  it("times out an attempt that gets no answer", async () => {
    const s = await scripted([{ status: 200, hang: true }]);
    try {
      const client = new Keyhold({ endpoint: s.endpoint, apiKey: "kh_test_x", env: {}, timeoutMs: 200, maxRetries: 1 });
      const err = await rejection(client.whoami());
      expect([err.code, err.status]).toEqual(["timeout", 0]);
      expect(s.seen).toHaveLength(2);
    } finally {
      await s.close();
    }
  });
});
