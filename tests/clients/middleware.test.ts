// The gateway middleware of @keyhold/sdk (Hono, Express, Next.js route handlers) protecting tiny apps, verified by a
// real Keyhold: the verdict reaches the handler; refusals answer 401/403/429/503 with Keyhold's error body.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyhold as expressKeyhold } from "@keyhold/sdk/express";
import { keyhold as honoKeyhold, type KeyholdVariables } from "@keyhold/sdk/hono";
import { withKeyhold } from "@keyhold/sdk/next";
import { admin, createTestKey, fixture, withFixture } from "./fixture";

withFixture();

// Keys made for these tests: a writer, one limited to a request a minute, one allowlisted elsewhere, one holding a
// permission.
const keys = {} as Record<"writer" | "limited" | "elsewhere" | "loopback" | "inference", string>;

beforeAll(async () => {
  const make = async (name: string, extra: object = {}) =>
    (await admin.keys.create({ name, environment: "test", scopes: ["write"], ...extra })).secret;
  keys.writer = await make("mw-writer");
  keys.limited = await make("mw-limited", { rateLimit: 1 });
  keys.elsewhere = await make("mw-elsewhere", { ipAllowlist: [{ value: "10.0.0.0/8" }] });
  keys.loopback = await make("mw-loopback", { ipAllowlist: [{ value: "127.0.0.1/32" }] });
  keys.inference = await make("mw-inference", { permissions: ["inference:write"] });
});

type Call = (path: string, key?: string) => Promise<{ status: number; body: unknown; headers: Headers }>;

// The refusals every middleware answers the same way.
function refusals(call: () => Call) {
  it("answers 401 missing_key without a Bearer key", async () => {
    const res = await call()("/write");
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: "missing_key", message: expect.any(String) } });
  });

  it("answers 401 invalid_key for an unknown key", async () => {
    const res = await call()("/write", "kh_test_nosuchkeyatall");
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: "invalid_key", message: "The API key is not valid." } });
  });

  it("answers 403 insufficient_scope for a key without the scope", async () => {
    const res = await call()("/write", fixture.keys.read.secret);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: "insufficient_scope", message: expect.any(String) } });
  });

  it("answers 403 insufficient_permissions when a required permission is missing", async () => {
    const res = await call()("/infer", keys.writer);
    expect(res.status).toBe(403);
    expect((res.body as { error: { code: string } }).error.code).toBe("insufficient_permissions");
  });
}

// A Hono app: /write needs write scope; /infer needs inference:write and spends credits.
function honoApp(endpoint = fixture.endpoint) {
  const app = new Hono<{ Variables: KeyholdVariables }>();
  const options = { endpoint, serviceToken: fixture.serviceToken };
  app.get("/write", honoKeyhold({ ...options, scope: "write" }), (c) => c.json({ keyId: c.get("keyhold").keyId }));
  app.get("/infer", honoKeyhold({ ...options, permissions: ["inference:write"], cost: 1 }), (c) =>
    c.json({ keyId: c.get("keyhold").keyId, credits: c.get("keyhold").credits }),
  );
  return app;
}

const honoCall =
  (app: Hono<{ Variables: KeyholdVariables }>): Call =>
  async (path, key) => {
    const res = await app.request(path, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };

describe("@keyhold/sdk/hono", () => {
  let app: Hono<{ Variables: KeyholdVariables }>;
  beforeAll(() => {
    app = honoApp();
  });
  refusals(() => honoCall(app));

  it("passes the verdict to the handler", async () => {
    const res = await honoCall(app)("/write", keys.writer);
    expect(res.status).toBe(200);
    expect((res.body as { keyId: string }).keyId).toMatch(/\w+/);
    const infer = await honoCall(app)("/infer", keys.inference);
    expect(infer.status).toBe(200);
  });

  it("answers 429 rate_limited with Retry-After", async () => {
    expect((await honoCall(app)("/write", keys.limited)).status).toBe(200);
    const res = await honoCall(app)("/write", keys.limited);
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error: { code: "rate_limited", message: expect.any(String) } });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("sends the address from the ip option (IPv4-mapped IPv6 as IPv4); a malformed one is left out", async () => {
    const withIp = (ip: string) => {
      const app = new Hono<{ Variables: KeyholdVariables }>();
      const guard = honoKeyhold({ endpoint: fixture.endpoint, serviceToken: fixture.serviceToken, ip: () => ip });
      app.get("/write", guard, (c) => c.json({ keyId: c.get("keyhold").keyId }));
      return honoCall(app);
    };
    expect((await withIp("::ffff:127.0.0.1")("/write", keys.loopback)).status).toBe(200);
    expect((await withIp("10.9.9.9")("/write", keys.loopback)).status).toBe(403);
    expect((await withIp("not an address")("/write", keys.writer)).status).toBe(200);
    const refused = await withIp("not an address")("/write", keys.loopback);
    expect([refused.status, (refused.body as { error: { code: string } }).error.code]).toEqual([403, "ip_not_allowed"]);
  });

  it("answers 503 service_unavailable when Keyhold cannot be reached", async () => {
    const res = await honoCall(honoApp("http://127.0.0.1:9"))("/write", keys.writer);
    expect(res.status).toBe(503);
    expect((res.body as { error: { code: string } }).error.code).toBe("service_unavailable");
  });
});

describe("@keyhold/sdk/express", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    const options = { endpoint: fixture.endpoint, serviceToken: fixture.serviceToken };
    app.get("/write", expressKeyhold({ ...options, scope: "write" }), (req, res) => {
      res.json({ keyId: req.keyhold?.keyId });
    });
    app.get("/infer", expressKeyhold({ ...options, permissions: ["inference:write"] }), (req, res) => {
      res.json({ keyId: req.keyhold?.keyId, credits: req.keyhold?.credits });
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const call: Call = async (path, key) => {
    const res = await fetch(base + path, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
  refusals(() => call);

  it("passes the verdict to the handler as req.keyhold", async () => {
    const res = await call("/write", keys.writer);
    expect(res.status).toBe(200);
    expect((res.body as { keyId: string }).keyId).toMatch(/\w+/);
  });

  it("checks the key's IP allowlist against req.ip", async () => {
    const res = await call("/write", keys.elsewhere);
    expect(res.status).toBe(403);
    expect((res.body as { error: { code: string } }).error.code).toBe("ip_not_allowed");
    // The loopback caller's address reached Keyhold (a key with an allowlist is refused when none is sent).
    expect((await call("/write", keys.loopback)).status).toBe(200);
  });

  it("answers 429 usage_exceeded once the key's credits are spent", async () => {
    const infer = await createTestKey("mw-infer-prepaid", {
      scopes: ["write"],
      permissions: ["inference:write"],
      credits: { remaining: 1, refill: null },
    });
    const ok = await call("/infer", infer.secret);
    expect(ok.status).toBe(200);
    expect((ok.body as { credits: { remaining: number } }).credits.remaining).toBe(0);
    const spent = await call("/infer", infer.secret);
    expect(spent.status).toBe(429);
    expect(spent.body).toEqual({ error: { code: "usage_exceeded", message: expect.any(String) } });
  });
});

describe("@keyhold/sdk/next", () => {
  it("refuses to start when it is not configured", () => {
    const handler = () => Response.json({});
    expect(() => withKeyhold(handler, { scope: "write", endpoint: "", serviceToken: "" })).toThrow(/endpoint/);
  });

  it("runs the handler with the verdict, or answers Keyhold's error body", async () => {
    const guarded = withKeyhold(
      async (_req: Request, context: { params: Promise<{ id: string }> }, verification) =>
        Response.json({ id: (await context.params).id, keyId: verification.keyId }),
      { scope: "write", endpoint: fixture.endpoint, serviceToken: fixture.serviceToken },
    );
    const params = Promise.resolve({ id: "42" });
    const ok = await guarded(new Request("http://app/x", { headers: { Authorization: `Bearer ${keys.writer}` } }), {
      params,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: "42", keyId: expect.any(String) });
    const missing = await guarded(new Request("http://app/x"), { params });
    expect(missing.status).toBe(401);
    const scope = await guarded(
      new Request("http://app/x", { headers: { Authorization: `Bearer ${fixture.keys.read.secret}` } }),
      { params },
    );
    expect(scope.status).toBe(403);
    expect(await scope.json()).toEqual({ error: { code: "insufficient_scope", message: expect.any(String) } });
  });
});
