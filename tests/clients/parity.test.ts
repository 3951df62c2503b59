// The contract both SDKs keep (docs/clients.md, "One contract for both SDKs"), row by row, in TypeScript;
// packages/python/tests/test_parity.py checks the same rows in Python.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createVerifier, Keyhold, KeyholdError } from "@keyhold/sdk";
import { keyhold as honoKeyhold } from "@keyhold/sdk/hono";
import { withKeyhold } from "@keyhold/sdk/next";
import { admin, createTestKey, fixture, rejection, secondCallRefused, withFixture } from "./fixture";

withFixture();

type Reply = { status: number; type: string; body: string } | "hang";

// A local server answering each request with the next scripted reply (the last one repeats), recording the methods.
async function scripted(...replies: Reply[]) {
  const methods: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    methods.push(req.method ?? "");
    req.resume();
    const reply = replies[Math.min(methods.length, replies.length) - 1];
    if (reply === "hang") return;
    res.writeHead(reply.status, { "Content-Type": reply.type });
    res.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  return { endpoint, methods, close };
}

const JSON_TYPE = "application/json";
const CRASH: Reply = {
  status: 500,
  type: JSON_TYPE,
  body: JSON.stringify({ error: { code: "internal_error", message: "boom" } }),
};
const OK: Reply = { status: 200, type: JSON_TYPE, body: JSON.stringify({ status: "ok" }) };

describe("one contract: the client", () => {
  it("retries idempotent calls at most twice on 5xx; a creation or a test event is sent once", async () => {
    const s = await scripted(CRASH);
    try {
      const client = new Keyhold({ endpoint: s.endpoint, apiKey: "kh_test_x", env: {} });
      const err = await rejection(client.whoami());
      expect([err.status, err.code]).toEqual([500, "internal_error"]);
      expect(s.methods).toEqual(["GET", "GET", "GET"]);
      s.methods.length = 0;
      await rejection(client.keys.create({ name: "n", environment: "test", scopes: ["read"] }));
      expect(s.methods).toEqual(["POST"]);
      s.methods.length = 0;
      // A test event is sent once too: each call queues another delivery.
      await rejection(client.webhooks.test("wh_1"));
      expect(s.methods).toEqual(["POST"]);
    } finally {
      await s.close();
    }
  });

  it("a 5xx then a success is a success", async () => {
    const s = await scripted(CRASH, OK);
    try {
      const client = new Keyhold({ endpoint: s.endpoint, apiKey: "kh_test_x", env: {} });
      expect(await client.ping()).toEqual({ status: "ok" });
      expect(s.methods).toEqual(["GET", "GET"]);
    } finally {
      await s.close();
    }
  });

  it("an HTML answer is unexpected_response with a hint naming the endpoint setting", async () => {
    const page = await scripted({ status: 200, type: "text/html", body: "<!DOCTYPE html><html>Dashboard</html>" });
    const notFound = await scripted({ status: 404, type: "text/html", body: "<html>Not found</html>" });
    try {
      const wrong = new Keyhold({ endpoint: `${page.endpoint}/dashboard`, apiKey: "kh_test_x", env: {} });
      const err = await rejection(wrong.whoami());
      expect([err.status, err.code]).toEqual([200, "unexpected_response"]);
      expect(err.message).toMatch(/KEYHOLD_ENDPOINT/);
      expect(err.message).toMatch(/\/dashboard/);
      const missing = await rejection(
        new Keyhold({ endpoint: notFound.endpoint, apiKey: "kh_test_x", env: {} }).keys.list(),
      );
      expect([missing.status, missing.code]).toEqual([404, "unexpected_response"]);
      expect(missing.message).toMatch(/endpoint/);
    } finally {
      await page.close();
      await notFound.close();
    }
  });

  it("network_error and timeout", async () => {
    const unreachable = new Keyhold({ endpoint: "http://127.0.0.1:9", apiKey: "kh_test_x", env: {}, maxRetries: 0 });
    expect((await rejection(unreachable.whoami())).code).toBe("network_error");
    const s = await scripted("hang");
    try {
      const slow = new Keyhold({ endpoint: s.endpoint, apiKey: "kh_test_x", env: {}, timeoutMs: 300, maxRetries: 0 });
      const err = await rejection(slow.whoami());
      expect([err.status, err.code]).toEqual([0, "timeout"]);
    } finally {
      await s.close();
    }
  });

  it("an endpoint ending in /api/v1 works", async () => {
    const client = new Keyhold({ endpoint: `${fixture.endpoint}/api/v1/`, apiKey: fixture.keys.read.secret, env: {} });
    expect((await client.whoami()).key.id).toBe(fixture.keys.read.id);
    const verifier = createVerifier({ endpoint: `${fixture.endpoint}/api/v1`, serviceToken: fixture.serviceToken });
    expect((await verifier.verify(fixture.keys.read.secret)).valid).toBe(true);
  });

  it("reportLeak is always received", async () => {
    const client = new Keyhold({ endpoint: fixture.endpoint, env: {} });
    expect(await client.reportLeak({ key: `kh_test_${"Z".repeat(38)}`, url: "https://example.com/paste" })).toEqual({
      status: "received",
    });
  });

  it("audit.list pages the audit log with filters; a read key is refused", async () => {
    const made = await admin.keys.create({ name: "parity-audit", environment: "test", scopes: ["read"] });
    const first = await admin.audit.list({ action: "key.created", limit: 1 });
    expect(first.data).toHaveLength(1);
    expect(first.data[0]).toMatchObject({
      action: "key.created",
      actor: { type: "key", keyId: fixture.keys.admin.id },
      target: { keyId: made.key.id, keyName: "parity-audit" },
    });
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await admin.audit.list({ action: "key.created", limit: 1, cursor: first.nextCursor! });
    expect(second.data[0].id).not.toBe(first.data[0].id);
    expect(second.data.every((e) => e.action === "key.created")).toBe(true);
    const bad = await rejection(admin.audit.list({ from: "yesterday" }));
    expect([bad.status, bad.code, bad.message]).toEqual([400, "invalid_request", expect.stringContaining("from")]);
    const reader = new Keyhold({ endpoint: fixture.endpoint, apiKey: fixture.keys.read.secret, env: {} });
    expect((await rejection(reader.audit.list())).code).toBe("insufficient_scope");
  });

  it("a 429 raises at once with retryAfter", async () => {
    const { err, calls } = await secondCallRefused("parity-limited");
    expect([err.status, err.code]).toEqual([429, "rate_limited"]);
    expect(err.retryAfter).toBeGreaterThanOrEqual(1);
    expect(err.retryAfter).toBeLessThanOrEqual(60);
    expect(calls).toBe(2);
  });
});

describe("one contract: the middleware", () => {
  it("a missing service token fails at construction", () => {
    const missing = (() => {
      try {
        honoKeyhold({ endpoint: "http://127.0.0.1:9", serviceToken: "" });
      } catch (err) {
        return err;
      }
    })();
    expect(missing).toBeInstanceOf(KeyholdError);
    expect((missing as KeyholdError).code).toBe("no_credentials");
    expect((missing as KeyholdError).message).toMatch(/KEYHOLD_SERVICE_TOKEN/);
    expect(() => withKeyhold(() => new Response(), { endpoint: "", serviceToken: "svc" })).toThrow(/KEYHOLD_ENDPOINT/);
  });

  it("answers a generic 503 and logs the reason", async () => {
    const logged: string[] = [];
    const app = new Hono();
    app.get(
      "/",
      honoKeyhold({ endpoint: "http://127.0.0.1:9", serviceToken: "svc", log: (line) => logged.push(line) }),
      (c) => c.text("ok"),
    );
    const res = await app.request("/", { headers: { "X-API-Key": `kh_test_${"E".repeat(38)}` } });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: {
        code: "service_unavailable",
        message: "Key verification is temporarily unavailable. Try again shortly.",
      },
    });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/key verification failed closed: Keyhold verification failed: unreachable/);
  });

  it("takes the key from X-API-Key and adds the rate-limit headers on success", async () => {
    const made = await createTestKey("parity-headers", { rateLimit: 5 });
    const app = new Hono();
    app.get("/", honoKeyhold({ endpoint: fixture.endpoint, serviceToken: fixture.serviceToken }), (c) => c.text("ok"));
    const res = await app.request("/", { headers: { "X-API-Key": made.secret } });
    expect(res.status).toBe(200);
    expect([res.headers.get("x-ratelimit-limit"), res.headers.get("x-ratelimit-remaining")]).toEqual(["5", "4"]);
    expect(Number(res.headers.get("x-ratelimit-reset"))).toBeGreaterThan(0);
  });
});
