// Forward authentication through real proxies: Debian's nginx (auth_request) and caddy (forward_auth), each run with
// its configuration generated from contrib/, in front of an echo upstream, asking Keyhold (`npm run start:api`) on one
// PostgreSQL database. Checks what a platform relies on: a good key reaches the upstream with the identity headers and
// without the key; refusals (401, 403, 429 with Retry-After) reach the client as Keyhold made them; a route's cost is
// spent exactly under 200 concurrent requests; a key revoked while traffic flows is refused within 1 s; a public route
// passes without a key; and with Keyhold down nothing passes (fail closed).
// Runs in `npm run test:pg` (KEYHOLD_TEST_DB=postgres). With CI=true a missing nginx or caddy fails the run.
process.env.KEYHOLD_SERVICE_TOKEN = "gateway-service-token-0123456789";

import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { connect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { replaceCatalogue } from "@/lib/permissions/catalogue";
import { replaceRouteTable } from "@/lib/routes/table";
import { withTestDb } from "../helpers/db";
import { startInstance, stopInstance, type Instance } from "../helpers/instances";
import { createUser, makeKey } from "../helpers/keys";
import { proxyInstalled, startProxy, stopProxy, type Proxy, type ProxyKind } from "../../scripts/gateway-proxies";

const TOKEN = "gateway-service-token-0123456789";
const { KEYHOLD_TEST_DB, CI } = env();
const KINDS: ProxyKind[] = ["nginx", "caddy"];
const installed = Object.fromEntries(KINDS.map((k) => [k, proxyInstalled(k)])) as Record<ProxyKind, boolean>;
const runnable = KEYHOLD_TEST_DB === "postgres" && (CI || KINDS.every((k) => installed[k]));

const testDb = withTestDb();

type Seen = { method: string; url: string; headers: IncomingHttpHeaders };
const seen: Seen[] = [];
let upstream: Server;
let keyhold: Instance | undefined;
const proxies = new Map<ProxyKind, Proxy>();
let userId = "";
let relay: Awaited<ReturnType<typeof countingRelay>>;

// The upstream: records each request and answers 200 with what it saw.
function startUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ upstream: true, url: req.url }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// Listens on `port` and resets every connection it accepts.
function holdPort(port: number): Promise<NetServer> {
  const server = createNetServer((socket) => socket.resetAndDestroy());
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

// A TCP relay in front of Keyhold that counts the connections the proxies open to it.
function countingRelay(target: () => number): Promise<{ server: NetServer; opened: () => number }> {
  let opened = 0;
  const server = createNetServer((client) => {
    opened++;
    const upstream = connect(target(), "127.0.0.1");
    client.pipe(upstream).pipe(client);
    const end = () => (client.destroy(), upstream.destroy());
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, opened: () => opened })));
}

const seenBy = (keyId: string) => seen.filter((s) => s.headers["x-keyhold-key-id"] === keyId);

function call(proxy: Proxy, method: string, path: string, headers: Record<string, string> = {}) {
  return fetch(`${proxy.base}${path}`, { method, headers, signal: AbortSignal.timeout(15_000) });
}

describe.skipIf(!runnable)("forward authentication through nginx and caddy", () => {
  beforeAll(async () => {
    for (const kind of KINDS)
      if (!installed[kind])
        throw new Error(`${kind} is not installed (apt-get install ${kind === "nginx" ? "nginx-light" : "caddy"})`);
    await replaceCatalogue(
      "service",
      {
        permissions: [
          { name: "inference:write", description: "" },
          { name: "inference:read", description: "" },
        ],
      },
      null,
    );
    await replaceRouteTable(
      "service",
      {
        default: "deny",
        routes: [
          { method: "*", path: "/v1/*", scope: "read" },
          { method: "POST", path: "/v1/chat/*", permissions: ["inference:write"], cost: 3 },
          { method: "GET", path: "/v1/models/:id", scope: "read" },
          { method: "GET", path: "/v1/status", public: true },
        ],
      },
      null,
    );
    const user = await createUser("gateway");
    userId = user.id;
    // Enterprise: keys may be allowed up to 6000 requests a minute (the concurrency tests' keys must not be limited).
    await db.organization.update({ where: { id: user.organization.id }, data: { plan: "ENTERPRISE" } });
    upstream = await startUpstream();
    keyhold = await startInstance(testDb.current.url, {
      KEYHOLD_SERVICE_TOKEN: TOKEN,
      TRUST_PROXY: "127.0.0.1",
      RATE_LIMIT_STORE: "postgres",
    });
    // The proxies reach Keyhold through the relay; Keyhold's port is read on each connection (the fail-closed test
    // stops Keyhold and holds its port).
    const keyholdPort = Number(new URL(keyhold.base).port);
    relay = await countingRelay(() => keyholdPort);
    const targets = {
      keyhold: `127.0.0.1:${(relay.server.address() as AddressInfo).port}`,
      upstream: `127.0.0.1:${(upstream.address() as AddressInfo).port}`,
      serviceToken: TOKEN,
    };
    for (const kind of KINDS) proxies.set(kind, await startProxy(kind, targets));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...proxies.values()].map(stopProxy));
    if (keyhold) await stopInstance(keyhold);
    await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
    relay?.server.close();
  }, 60_000);

  describe.each(KINDS)("%s", (kind) => {
    const proxy = () => proxies.get(kind)!;

    it("a good key reaches the upstream with the identity headers and without the key", async () => {
      const { key, secret } = await makeKey(userId, ["read"], { permissions: ["inference:write"] });
      const { organization: org } = await db.apiKey.findUniqueOrThrow({
        where: { id: key.id },
        select: { organization: true },
      });
      const credentials: Record<string, string>[] = [{ authorization: `Bearer ${secret}` }, { "x-api-key": secret }];
      for (const header of credentials) {
        const res = await call(proxy(), "GET", "/v1/models/gpt?x=1", {
          ...header,
          // A client posing as another key: replaced by what Keyhold vouches for.
          "x-keyhold-key-id": "spoofed",
          "x-keyhold-organization": "spoofed",
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({ upstream: true, url: "/v1/models/gpt?x=1" });
        const got = seen.at(-1)!;
        expect(got.headers["x-keyhold-key-id"]).toBe(key.id);
        expect(got.headers["x-keyhold-organization"]).toBe(org.slug);
        expect(got.headers["x-keyhold-organization-id"]).toBe(org.id);
        expect(got.headers["x-keyhold-client-id"]).toBe(org.clientId);
        expect(got.headers["x-keyhold-permissions"]).toBe("inference:write");
        expect(got.headers.authorization).toBeUndefined();
        expect(got.headers["x-api-key"]).toBeUndefined();
        expect(got.headers["x-keyhold-service-token"]).toBeUndefined();
        if (kind === "nginx") expect(res.headers.get("x-ratelimit-limit")).toBe("6000");
      }
    });

    it("keeps its connections to Keyhold open across passes and refusals", async () => {
      const { secret } = await makeKey(userId, ["read"]);
      // Warm the pool, then count: one request at a time reuses an idle connection (nginx closed one after every
      // answer sent chunked or with a body it did not read, so each request opened a new one).
      await call(proxy(), "GET", "/v1/models/gpt", { authorization: `Bearer ${secret}` });
      const before = relay.opened();
      for (let i = 0; i < 20; i++) {
        const pass = await call(proxy(), "GET", "/v1/models/gpt", { authorization: `Bearer ${secret}` });
        expect(pass.status).toBe(200);
        await pass.text();
        const refused = await call(proxy(), "GET", "/v1/models/gpt", { authorization: "Bearer kh_test_nope" });
        expect(refused.status).toBe(401);
        expect((await refused.json()).error.code).toBe("invalid_key");
      }
      expect(relay.opened() - before).toBeLessThanOrEqual(2);
    });

    it("no key: 401 with Keyhold's JSON body and challenge; the upstream sees nothing", async () => {
      const before = seen.length;
      const res = await call(proxy(), "GET", "/v1/models/gpt");
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      expect(await res.json()).toEqual({
        error: { code: "missing_key", message: "Send an API key in the Authorization: Bearer or X-API-Key header." },
      });
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="keyhold"');
      expect(seen.length).toBe(before);
    });

    it("a route needing a permission the key lacks: 403 insufficient_permissions; no route: 403 forbidden", async () => {
      const { secret } = await makeKey(userId, ["read"]);
      const res = await call(proxy(), "POST", "/v1/chat/completions", { authorization: `Bearer ${secret}` });
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("insufficient_permissions");
      expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
      const none = await call(proxy(), "GET", "/admin", { authorization: `Bearer ${secret}` });
      expect(none.status).toBe(403);
      expect(await none.json()).toEqual({ error: { code: "forbidden", message: "No route matches GET /admin" } });
    });

    it("over the limit: 429 rate_limited with Retry-After", async () => {
      const { key, secret } = await makeKey(userId, ["read"], { rateLimit: 2 });
      for (let i = 0; i < 2; i++)
        expect((await call(proxy(), "GET", "/v1/a", { authorization: `Bearer ${secret}` })).status).toBe(200);
      const res = await call(proxy(), "GET", "/v1/a", { authorization: `Bearer ${secret}` });
      expect(res.status).toBe(429);
      expect((await res.json()).error.code).toBe("rate_limited");
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(seenBy(key.id).length).toBe(2);
    });

    it("each route's cost is spent exactly under 200 concurrent requests", async () => {
      const credits = 250;
      const { key, secret } = await makeKey(userId, ["read"], {
        permissions: ["inference:write"],
        rateLimit: 5000,
        credits: { remaining: credits, refill: null },
      });
      // Alternately the cost-3 chat route and a cost-1 route.
      const requests = Array.from({ length: 200 }, (_, i) =>
        i % 2 === 0
          ? { cost: 3, go: () => call(proxy(), "POST", "/v1/chat/completions", { authorization: `Bearer ${secret}` }) }
          : { cost: 1, go: () => call(proxy(), "GET", "/v1/models/m", { authorization: `Bearer ${secret}` }) },
      );
      const answers = await Promise.all(requests.map(async (r) => ({ cost: r.cost, status: (await r.go()).status })));
      const admitted = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status !== 200);
      expect(new Set(refused.map((a) => a.status))).toEqual(new Set(refused.length ? [429] : []));
      const spent = admitted.reduce((sum, a) => sum + a.cost, 0);
      const row = await db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
      expect(row.creditsRemaining).toBe(credits - spent);
      // Every refusal was for a cost the credits left could not cover.
      if (refused.length) expect(row.creditsRemaining!).toBeLessThan(Math.min(...refused.map((a) => a.cost)));
      // 100 × 3 + 100 × 1 = 400 > 250: some were refused, and exactly the admitted ones reached the upstream.
      expect(refused.length).toBeGreaterThan(0);
      expect(seenBy(key.id).length).toBe(admitted.length);
    }, 60_000);

    it("a key revoked while traffic flows is refused within 1 s", async () => {
      const admin = await makeKey(userId, ["admin"], { rateLimit: 5000 });
      const { key, secret } = await makeKey(userId, ["read"], { rateLimit: 5000 });
      let revokedAt = 0;
      let firstRefusal = 0;
      let stop = false;
      const loop = async () => {
        const deadline = Date.now() + 20_000;
        while (!stop && Date.now() < deadline) {
          const res = await call(proxy(), "GET", "/v1/stream", { authorization: `Bearer ${secret}` });
          if (res.status === 401) {
            expect((await res.json()).error.code).toBe("revoked_key");
            firstRefusal ||= performance.now();
            if (revokedAt) return;
          } else {
            expect(res.status).toBe(200);
            await res.arrayBuffer();
          }
        }
      };
      const loops = Array.from({ length: 4 }, loop);
      await new Promise((r) => setTimeout(r, 300));
      const revoke = await fetch(`${keyhold!.base}/api/v1/keys/${key.id}/revoke`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin.secret}` },
      });
      expect(revoke.status).toBe(200);
      revokedAt = performance.now();
      await Promise.all(loops);
      stop = true;
      expect(firstRefusal).toBeGreaterThan(0);
      expect(firstRefusal - revokedAt).toBeLessThan(1000);
      // Once refused, refused for good.
      expect((await call(proxy(), "GET", "/v1/stream", { authorization: `Bearer ${secret}` })).status).toBe(401);
    }, 60_000);

    it("a public route passes without a key, with no identity", async () => {
      const res = await call(proxy(), "GET", "/v1/status", { "x-keyhold-key-id": "spoofed" });
      expect(res.status).toBe(200);
      const got = seen.at(-1)!;
      expect(got.url).toBe("/v1/status");
      expect(got.headers["x-keyhold-key-id"] ?? "").toBe("");
    });
  });

  it("Keyhold down: both proxies refuse, nothing reaches the upstream (fail closed)", async () => {
    const { secret } = await makeKey(userId, ["read"]);
    const port = Number(new URL(keyhold!.base).port);
    await stopInstance(keyhold!);
    keyhold = undefined;
    // Keyhold's port is held at once by a listener that resets every connection (as a crashed Keyhold would): left
    // free, a server another test file starts in parallel could take the port and answer in Keyhold's place.
    const holder = await holdPort(port);
    try {
      const before = seen.length;
      for (const kind of KINDS) {
        for (const path of ["/v1/models/x", "/v1/status"]) {
          const res = await call(proxies.get(kind)!, "GET", path, { authorization: `Bearer ${secret}` });
          expect(res.status, `${kind} ${path}: ${await res.text()}`).toBeGreaterThanOrEqual(500);
        }
      }
      const nginx = await call(proxies.get("nginx")!, "GET", "/v1/models/x", { authorization: `Bearer ${secret}` });
      expect(nginx.status).toBe(503);
      expect((await nginx.json()).error.code).toBe("service_unavailable");
      expect(seen.length).toBe(before);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  }, 60_000);
});
