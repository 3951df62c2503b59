// Forward authentication: /api/v1/authorize (any method) as proxies call it, and the route table behind it
// (PUT/GET /api/v1/routes with the service token: validation, specificity, audit, the cache dropped on replace).
process.env.KEYHOLD_SERVICE_TOKEN = "service-token-for-tests-0123456789";
process.env.TRUST_PROXY = "127.0.0.1";

import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { flushUsage } from "@/lib/usage/recorder";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser, fromPeer, makeKey } from "../helpers/keys";

withTestDb();
const TOKEN = "service-token-for-tests-0123456789";

const TABLE = {
  default: "deny",
  routes: [
    { method: "*", path: "/v1/*", scope: "read" },
    { method: "POST", path: "/v1/chat/*", permissions: ["inference:write"], cost: 3 },
    { method: "GET", path: "/v1/models/:id", scope: "read" },
    { method: "DELETE", path: "/v1/models/:id", scope: "admin" },
    { method: "GET", path: "/v1/health", public: true },
  ],
};

const putRoutes = (body: unknown, token: string | null = TOKEN) =>
  api(apiRequest("/api/v1/routes", { method: "PUT", key: token ?? undefined, body }));

// The subrequest a proxy makes: the original method and URI in headers, the customer's key as the client sent it.
function authorize(
  original: { method?: string; uri?: string; style?: "forwarded" | "original" },
  headers: Record<string, string> = {},
  opts: { method?: string; path?: string; token?: string | null } = {},
) {
  const style = original.style ?? "forwarded";
  const h: Record<string, string> = { ...fromPeer("127.0.0.1", "203.0.113.9"), ...headers };
  if (opts.token !== null) h["x-keyhold-service-token"] = opts.token ?? TOKEN;
  if (original.method) h[style === "forwarded" ? "x-forwarded-method" : "x-original-method"] = original.method;
  if (original.uri) h[style === "forwarded" ? "x-forwarded-uri" : "x-original-uri"] = original.uri;
  return api(apiRequest(opts.path ?? "/api/v1/authorize", { method: opts.method ?? "GET", headers: h }));
}

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

let userId = "";
let readKey = { id: "", secret: "" };
let chatKey = { id: "", secret: "" };

beforeAll(async () => {
  const catalogue = await api(
    apiRequest("/api/v1/permissions", {
      method: "PUT",
      key: TOKEN,
      body: { permissions: [{ name: "inference:write" }, { name: "inference:read" }] },
    }),
  );
  expect(catalogue.status).toBe(200);
  const user = await createUser("forward");
  userId = user.id;
  const read = await makeKey(userId, ["read"]);
  readKey = { id: read.key.id, secret: read.secret };
  const chat = await makeKey(userId, ["read"], {
    permissions: ["inference:write"],
    credits: { remaining: 10, refill: null },
  });
  chatKey = { id: chat.key.id, secret: chat.secret };
});

beforeEach(async () => {
  expect((await putRoutes(TABLE)).status).toBe(200);
});

describe("PUT and GET /api/v1/routes", () => {
  it("replaces the table and answers it; GET answers the same; audited", async () => {
    const res = await putRoutes(TABLE);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual(TABLE);
    const got = await api(apiRequest("/api/v1/routes", { key: TOKEN }));
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(TABLE);
    const audit = await db.auditEvent.findFirst({
      where: { action: "routes.updated" },
      orderBy: { createdAt: "desc" },
    });
    expect(audit?.metadata).toMatchObject({ default: "deny", routes: 5 });
    expect(audit?.organizationId).toBeNull();
  });

  it("needs the service token (Authorization: Bearer)", async () => {
    expect((await putRoutes(TABLE, null)).status).toBe(401);
    expect((await putRoutes(TABLE, "wrong-token-wrong-token-0000")).status).toBe(401);
    expect((await api(apiRequest("/api/v1/routes", { key: readKey.secret }))).status).toBe(401);
  });

  it.each([
    [
      { routes: [{ method: "GET", path: "/a", permissions: ["inference:delete"] }] },
      "routes.0.permissions",
      "inference:delete",
    ],
    [{ routes: [{ method: "GET", path: "/a/*/b" }] }, "routes.0.path", "last segment"],
    [
      {
        routes: [
          { method: "GET", path: "/a/:x" },
          { method: "GET", path: "/a/:y" },
        ],
      },
      "routes.1.path",
      "Duplicate",
    ],
    [{ default: "sometimes", routes: [] }, "default", "deny or allow"],
  ])("refuses %j: 400 naming %s, table unchanged", async (doc, field, words) => {
    const res = await putRoutes(doc);
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("invalid_request");
    expect(error.message).toContain(field);
    expect(error.message).toContain(words);
    const got = await api(apiRequest("/api/v1/routes", { key: TOKEN }));
    expect(await got.json()).toEqual(TABLE);
  });
});

describe("/api/v1/authorize", () => {
  it("a good key: 200 with the identity and rate-limit headers, usage recorded once with the route", async () => {
    await flushUsage();
    const before = await db.usageEvent.count({ where: { keyId: readKey.id } });
    const res = await authorize({ method: "GET", uri: "/v1/models/gpt-9?x=1" }, bearer(readKey.secret));
    expect(res.status).toBe(200);
    const org = await db.organization.findUniqueOrThrow({ where: { id: (await createdOrg(readKey.id)).id } });
    expect(res.headers.get("x-keyhold-key-id")).toBe(readKey.id);
    expect(res.headers.get("x-keyhold-organization")).toBe(org.slug);
    expect(res.headers.get("x-keyhold-organization-id")).toBe(org.id);
    expect(res.headers.get("x-keyhold-client-id")).toBe(org.clientId);
    expect(res.headers.get("x-keyhold-permissions")).toBe("");
    expect(res.headers.get("x-keyhold-credits-remaining")).toBe("");
    expect(res.headers.get("x-ratelimit-limit")).toBe("60");
    expect(res.headers.get("x-ratelimit-remaining")).toMatch(/^\d+$/);
    await flushUsage();
    const events = await db.usageEvent.findMany({ where: { keyId: readKey.id }, orderBy: { id: "asc" } });
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({
      route: "/v1/models/:id",
      method: "GET",
      status: 200,
      outcome: "valid",
      ip: "203.0.113.9",
    });
  });

  it("reads X-Original-Method/URI (nginx) and X-API-Key", async () => {
    const res = await authorize(
      { method: "GET", uri: "/v1/models/a", style: "original" },
      { "x-api-key": readKey.secret },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-keyhold-key-id")).toBe(readKey.id);
  });

  it.each(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])("answers %s alike", async (method) => {
    const res = await authorize({ method: "GET", uri: "/v1/models/a" }, bearer(readKey.secret), { method });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-keyhold-key-id")).toBe(readKey.id);
  });

  it("Envoy's form: the original path after /api/v1/authorize, the request's own method", async () => {
    const res = await authorize({}, bearer(readKey.secret), {
      method: "DELETE",
      path: "/api/v1/authorize/v1/models/a",
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("insufficient_scope");
    const ok = await authorize({}, bearer(readKey.secret), {
      method: "GET",
      path: "/api/v1/authorize/v1/models/a?q=1",
    });
    expect(ok.status).toBe(200);
  });

  it("no key: 401 missing_key with a Bearer challenge and the body in X-Keyhold-Error", async () => {
    const res = await authorize({ method: "GET", uri: "/v1/models/a" });
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error.code).toBe("missing_key");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="keyhold"');
    expect(JSON.parse(res.headers.get("x-keyhold-error")!)).toEqual(body);
  });

  it("X-Keyhold-Error-Body: omit (nginx): a refusal without a body, the error only in X-Keyhold-Error", async () => {
    const res = await authorize({ method: "GET", uri: "/v1/models/a" }, { "x-keyhold-error-body": "omit" });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe("");
    expect(JSON.parse(res.headers.get("x-keyhold-error")!).error.code).toBe("missing_key");
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="keyhold"');
  });

  it("a bad key: 401 invalid_key, error=invalid_token", async () => {
    const res = await authorize({ method: "GET", uri: "/v1/models/a" }, bearer("kh_test_notakey"));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("invalid_key");
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("the route's scope and permissions: 403 error=insufficient_scope; the most specific route wins", async () => {
    const del = await authorize({ method: "DELETE", uri: "/v1/models/a" }, bearer(readKey.secret));
    expect(del.status).toBe(403);
    expect((await del.json()).error.code).toBe("insufficient_scope");
    expect(del.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    const chat = await authorize({ method: "POST", uri: "/v1/chat/completions" }, bearer(readKey.secret));
    expect(chat.status).toBe(403);
    expect((await chat.json()).error.code).toBe("insufficient_permissions");
    // GET /v1/chat/x is not POST: the * /v1/* route (scope read) applies.
    expect((await authorize({ method: "GET", uri: "/v1/chat/x" }, bearer(readKey.secret))).status).toBe(200);
  });

  it("spends the route's cost from a key with credits and says what is left; 429 usage_exceeded when spent", async () => {
    const first = await authorize({ method: "POST", uri: "/v1/chat/completions" }, bearer(chatKey.secret));
    expect(first.status).toBe(200);
    expect(first.headers.get("x-keyhold-credits-remaining")).toBe("7");
    expect(first.headers.get("x-keyhold-permissions")).toBe("inference:write");
    for (const left of ["4", "1"]) {
      const res = await authorize({ method: "POST", uri: "/v1/chat/completions" }, bearer(chatKey.secret));
      expect(res.headers.get("x-keyhold-credits-remaining")).toBe(left);
    }
    const refused = await authorize({ method: "POST", uri: "/v1/chat/completions" }, bearer(chatKey.secret));
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe("usage_exceeded");
    // A cost-1 route still passes with the one credit left.
    const cheap = await authorize({ method: "GET", uri: "/v1/models/x" }, bearer(chatKey.secret));
    expect(cheap.headers.get("x-keyhold-credits-remaining")).toBe("0");
    await flushUsage();
    const spent = await db.usageEvent.findMany({ where: { keyId: chatKey.id, route: "/v1/chat/*" } });
    expect(spent.map((e) => e.cost).sort()).toEqual([0, 3, 3, 3]);
  });

  it("over the rate limit: 429 rate_limited with Retry-After and the rate-limit headers", async () => {
    const limited = await makeKey(userId, ["read"], { rateLimit: 2 });
    for (let i = 0; i < 2; i++)
      expect((await authorize({ method: "GET", uri: "/v1/x" }, bearer(limited.secret))).status).toBe(200);
    const res = await authorize({ method: "GET", uri: "/v1/x" }, bearer(limited.secret));
    expect(res.status).toBe(429);
    expect((await res.json()).error.code).toBe("rate_limited");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("a public route: 200 without a key, no identity headers, nothing recorded", async () => {
    await flushUsage();
    const before = await db.usageEvent.count();
    const res = await authorize({ method: "GET", uri: "/v1/health" }, bearer(readKey.secret));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-keyhold-key-id")).toBe("");
    expect((await authorize({ method: "GET", uri: "/v1/health" })).status).toBe(200);
    await flushUsage();
    expect(await db.usageEvent.count()).toBe(before);
  });

  it("unmatched: 403 forbidden naming the request (deny by default), nothing recorded; allow: any valid key", async () => {
    await flushUsage();
    const before = await db.usageEvent.count();
    const res = await authorize({ method: "GET", uri: "/admin/x?y=1" }, bearer(readKey.secret));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "forbidden", message: "No route matches GET /admin/x" } });
    await flushUsage();
    expect(await db.usageEvent.count()).toBe(before);
    expect((await putRoutes({ ...TABLE, default: "allow" })).status).toBe(200);
    expect((await authorize({ method: "GET", uri: "/admin/x" }, bearer(readKey.secret))).status).toBe(200);
    expect((await authorize({ method: "GET", uri: "/admin/x" })).status).toBe(401);
  });

  it("a replaced table applies at once", async () => {
    expect((await authorize({ method: "GET", uri: "/v2/new" }, bearer(readKey.secret))).status).toBe(403);
    expect((await putRoutes({ default: "deny", routes: [{ method: "GET", path: "/v2/*" }] })).status).toBe(200);
    expect((await authorize({ method: "GET", uri: "/v2/new" }, bearer(readKey.secret))).status).toBe(200);
    expect((await authorize({ method: "GET", uri: "/v1/models/a" }, bearer(readKey.secret))).status).toBe(403);
  });

  it.each([
    [{ uri: "/v1/x" }, "X-Forwarded-Method"],
    [{ method: "GET" }, "X-Forwarded-Uri"],
    [{ method: "GET", uri: "/v1/../admin" }, "X-Forwarded-Uri"],
    [{ method: "GET", uri: "/v1/%2e%2e/admin" }, "X-Forwarded-Uri"],
    [{ method: "GET", uri: "/v1/a%2fb" }, "X-Forwarded-Uri"],
    // DELETE /v1/models/:id needs admin; * /v1/* only read: an upstream merging // must not get there with a read key.
    [{ method: "DELETE", uri: "/v1//models/a" }, "X-Forwarded-Uri"],
    [{ method: "G ET", uri: "/v1/x" }, "X-Forwarded-Method"],
  ])("%j: 400 invalid_request naming %s", async (original, header) => {
    const res = await authorize(original, bearer(readKey.secret));
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("invalid_request");
    expect(error.message).toContain(header);
  });

  it("the service token in X-Keyhold-Service-Token: missing or wrong → 401; Authorization is not it", async () => {
    const none = await authorize({ method: "GET", uri: "/v1/x" }, bearer(readKey.secret), { token: null });
    expect(none.status).toBe(401);
    expect((await none.json()).error.message).toContain("X-Keyhold-Service-Token");
    const wrong = await authorize({ method: "GET", uri: "/v1/x" }, bearer(readKey.secret), {
      token: "not-the-token-not-the-token",
    });
    expect(wrong.status).toBe(401);
    const asBearer = await authorize({ method: "GET", uri: "/v1/x" }, bearer(TOKEN), { token: null });
    expect(asBearer.status).toBe(401);
  });

  it("is in the OpenAPI document for every method", async () => {
    const doc = await (await api(apiRequest("/api/v1/openapi.json"))).json();
    expect(Object.keys(doc.paths["/api/v1/authorize"]).sort()).toEqual(
      ["delete", "get", "head", "options", "patch", "post", "put"].sort(),
    );
    expect(Object.keys(doc.paths["/api/v1/routes"]).sort()).toEqual(["get", "put"]);
    for (const operation of Object.values(doc.paths["/api/v1/authorize"]) as { responses: object }[])
      expect(Object.keys(operation.responses).sort()).toEqual(["200", "400", "401", "403", "404", "429"]);
  });
});

function createdOrg(keyId: string) {
  return db.apiKey.findUniqueOrThrow({ where: { id: keyId } }).then((k) => ({ id: k.organizationId }));
}
