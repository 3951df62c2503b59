// The OpenAPI document describes every /api/v1 route, and every answer the routes give matches its documented status and schema.
process.env.KEYHOLD_SERVICE_TOKEN = "service-token-for-tests-0123456789";

import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apiRoutes, openApiDocument } from "@/lib/api/app";
import { api, apiRequest, createUser, makeKey, postKey } from "../helpers/keys";
import { schemaErrors } from "../helpers/json-schema";
import { withTestDb } from "../helpers/db";
import { sendTestEvent, setWebhookResolver } from "@/lib/webhooks/endpoints";

const db = withTestDb();

// GitHub's secret scanning key for POST /api/v1/leaks/github: a pair made here, its public key in the keys file.
const github = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const githubKeysFile = path.join(mkdtempSync(path.join(tmpdir(), "keyhold-gh-")), "keys.json");
writeFileSync(
  githubKeysFile,
  JSON.stringify({
    public_keys: [{ key_identifier: "gh-1", key: github.publicKey.export({ type: "spki", format: "pem" }) }],
  }),
);
process.env.GITHUB_SECRET_SCANNING_KEYS_FILE = githubKeysFile;

const doc = JSON.parse(JSON.stringify(openApiDocument)) as Record<string, unknown> & {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          { headers?: Record<string, unknown>; content?: Record<string, { schema: Record<string, unknown> }> }
        >;
        requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
      }
    >
  >;
};
const seen = new Set<string>();

// Checks one answer against the document: its status is documented for the operation and its body fits the schema.
async function conforms(pathTemplate: string, method: string, res: Response, expectedStatus: number) {
  expect(res.status).toBe(expectedStatus);
  const operation = doc.paths[pathTemplate]?.[method];
  expect(operation, `${method} ${pathTemplate} is documented`).toBeDefined();
  const documented = operation.responses[String(res.status)];
  expect(documented, `${method} ${pathTemplate} documents ${res.status}`).toBeDefined();
  const schema = documented.content?.["application/json"]?.schema;
  expect(schema).toBeDefined();
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  for (const header of Object.keys(documented.headers ?? {}))
    expect(res.headers.get(header), `${method} ${pathTemplate} ${res.status} sends ${header}`).toMatch(/^\d+$/);
  expect(schemaErrors(await res.json(), schema!, doc)).toEqual([]);
  seen.add(`${method} ${pathTemplate} ${res.status}`);
}

// Checks a request body against the documented request schema (so the examples the docs imply are real inputs).
function requestConforms(pathTemplate: string, method: string, body: unknown) {
  const schema = doc.paths[pathTemplate][method].requestBody!.content["application/json"].schema;
  expect(schemaErrors(body, schema, doc)).toEqual([]);
  return body;
}

describe("OpenAPI 3.1 document", () => {
  it("is served at /api/v1/openapi.json and names every /api/v1 route the app serves, with its methods", async () => {
    const res = await api(apiRequest("/api/v1/openapi.json"));
    await conforms("/api/v1/openapi.json", "get", res, 200);
    const served = await (await api(apiRequest("/api/v1/openapi.json"))).json();
    expect(served.openapi).toBe("3.1.0");
    // /api/v1/authorize answers every method from one handler (and its bodyless, header-only answers are checked
    // in forward-auth.test.ts).
    const documented = Object.entries(served.paths as Record<string, object>)
      .filter(([p]) => p !== "/api/v1/authorize")
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const routes = apiRoutes()
      .filter((r) => r.path.startsWith("/api/v1/") && r.path !== "/api/v1/docs" && !r.path.startsWith("/api/v1/docs/"))
      .map((r) => `${r.method} ${r.path}`);
    expect(documented.sort()).toEqual(routes.sort());
  });

  it("every route answers with documented statuses and shapes", async () => {
    const user = await createUser();
    const admin = await makeKey(user.id, ["admin"]);
    const reader = await makeKey(user.id, ["read"]);
    const other = await makeKey((await createUser("other")).id, ["read"]);

    await conforms("/api/v1/ping", "get", await api(apiRequest("/api/v1/ping")), 200);
    await conforms("/api/v1/whoami", "get", await api(apiRequest("/api/v1/whoami", { key: admin.secret })), 200);
    await conforms("/api/v1/whoami", "get", await api(apiRequest("/api/v1/whoami")), 401);
    await conforms(
      "/api/v1/whoami",
      "get",
      await api(apiRequest("/api/v1/whoami", { key: admin.secret, headers: { "x-client-id": "kh_client_wrong" } })),
      403,
    );

    await conforms("/api/v1/members", "get", await api(apiRequest("/api/v1/members", { key: reader.secret })), 200);
    await conforms(
      "/api/v1/organization",
      "get",
      await api(apiRequest("/api/v1/organization", { key: reader.secret })),
      200,
    );

    await conforms("/api/v1/keys", "get", await api(apiRequest("/api/v1/keys?limit=1", { key: reader.secret })), 200);
    await conforms("/api/v1/keys", "get", await api(apiRequest("/api/v1/keys?limit=0", { key: reader.secret })), 400);
    const body = requestConforms("/api/v1/keys", "post", {
      name: "documented",
      environment: "live",
      scopes: ["read"],
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      ipAllowlist: [{ value: "10.0.0.1/24", note: "office" }, { value: "2001:db8::/32" }],
      rateLimit: 50,
    });
    const created = await api(apiRequest("/api/v1/keys", { method: "POST", key: admin.secret, body }));
    const createdBody = await created.clone().json();
    await conforms("/api/v1/keys", "post", created, 201);
    await conforms(
      "/api/v1/keys",
      "post",
      await api(apiRequest("/api/v1/keys", { method: "POST", key: reader.secret, body })),
      403,
    );
    await conforms(
      "/api/v1/keys",
      "post",
      await api(apiRequest("/api/v1/keys", { method: "POST", key: admin.secret, rawBody: "{" })),
      400,
    );

    const id = createdBody.key.id as string;
    await conforms(
      "/api/v1/keys/{id}",
      "get",
      await api(apiRequest(`/api/v1/keys/${id}`, { key: reader.secret })),
      200,
    );
    await conforms(
      "/api/v1/keys/{id}",
      "get",
      await api(apiRequest(`/api/v1/keys/${other.key.id}`, { key: reader.secret })),
      404,
    );
    expect(createdBody.key.ipAllowlist).toEqual([{ value: "10.0.0.0/24", note: "office" }, { value: "2001:db8::/32" }]);
    const patch = requestConforms("/api/v1/keys/{id}", "patch", {
      name: "renamed",
      scopes: ["write"],
      expiresAt: null,
      ipAllowlist: [],
      rateLimit: null,
    });
    await conforms(
      "/api/v1/keys/{id}",
      "patch",
      await api(apiRequest(`/api/v1/keys/${id}`, { method: "PATCH", key: admin.secret, body: patch })),
      200,
    );
    await conforms(
      "/api/v1/keys/{id}",
      "patch",
      await api(apiRequest(`/api/v1/keys/${id}`, { method: "PATCH", key: admin.secret, body: { name: "" } })),
      400,
    );
    await conforms(
      "/api/v1/keys/{id}",
      "patch",
      await api(apiRequest(`/api/v1/keys/${other.key.id}`, { method: "PATCH", key: admin.secret, body: patch })),
      404,
    );

    const rotateBody = requestConforms("/api/v1/keys/{id}/rotate", "post", { gracePeriodSeconds: 60 });
    await conforms(
      "/api/v1/keys/{id}/rotate",
      "post",
      await api(apiRequest(`/api/v1/keys/${id}/rotate`, { method: "POST", key: admin.secret, body: rotateBody })),
      200,
    );
    await conforms(
      "/api/v1/keys/{id}/rotate",
      "post",
      await api(
        apiRequest(`/api/v1/keys/${id}/rotate`, {
          method: "POST",
          key: admin.secret,
          body: { gracePeriodSeconds: -5 },
        }),
      ),
      400,
    );
    await conforms(
      "/api/v1/keys/{id}/rotate",
      "post",
      await api(apiRequest(`/api/v1/keys/${other.key.id}/rotate`, { method: "POST", key: admin.secret })),
      404,
    );

    await conforms(
      "/api/v1/keys/{id}/revoke",
      "post",
      await api(apiRequest(`/api/v1/keys/${id}/revoke`, { method: "POST", key: admin.secret })),
      200,
    );
    await conforms(
      "/api/v1/keys/{id}/revoke",
      "post",
      await api(apiRequest(`/api/v1/keys/${other.key.id}/revoke`, { method: "POST", key: admin.secret })),
      404,
    );

    await conforms(
      "/api/v1/usage",
      "get",
      await api(apiRequest("/api/v1/usage?range=7d&tz=Europe/Paris", { key: reader.secret })),
      200,
    );
    await conforms(
      "/api/v1/usage",
      "get",
      await api(apiRequest(`/api/v1/usage?keyId=${reader.key.id}&interval=minute&range=30d`, { key: reader.secret })),
      400,
    );
    await conforms(
      "/api/v1/usage",
      "get",
      await api(apiRequest(`/api/v1/usage?keyId=${other.key.id}`, { key: reader.secret })),
      404,
    );

    await conforms("/api/v1/audit", "get", await api(apiRequest("/api/v1/audit?limit=2", { key: admin.secret })), 200);
    await conforms("/api/v1/audit", "get", await api(apiRequest("/api/v1/audit?from=x", { key: admin.secret })), 400);

    const token = "service-token-for-tests-0123456789";
    const verifyBody = requestConforms("/api/v1/verify", "post", {
      key: reader.secret,
      scope: "read",
      permissions: ["inference:read"],
      ip: "192.0.2.1",
    });
    await conforms(
      "/api/v1/verify",
      "post",
      await api(apiRequest("/api/v1/verify", { method: "POST", key: token, body: verifyBody })),
      200,
    );
    await conforms(
      "/api/v1/verify",
      "post",
      await api(apiRequest("/api/v1/verify", { method: "POST", key: token, body: { key: "kh_bad" } })),
      200,
    );
    await conforms(
      "/api/v1/verify",
      "post",
      await api(apiRequest("/api/v1/verify", { method: "POST", key: token, body: {} })),
      400,
    );
    await conforms(
      "/api/v1/verify",
      "post",
      await api(apiRequest("/api/v1/verify", { method: "POST", body: verifyBody })),
      401,
    );

    // The permission catalogue: replaced with the service token, read by any key; a held permission cannot be removed.
    const catalogue = requestConforms("/api/v1/permissions", "put", {
      permissions: [{ name: "inference:read", description: "Run read-only inference" }],
    });
    const put = (body: unknown, key?: string) => api(apiRequest("/api/v1/permissions", { method: "PUT", key, body }));
    await conforms("/api/v1/permissions", "put", await put(catalogue, token), 200);
    await conforms("/api/v1/permissions", "put", await put({ permissions: [{ name: "Nope" }] }, token), 400);
    await conforms("/api/v1/permissions", "put", await put(catalogue), 401);
    await conforms(
      "/api/v1/permissions",
      "get",
      await api(apiRequest("/api/v1/permissions", { key: reader.secret })),
      200,
    );
    const holder = await postKey(
      admin.secret,
      requestConforms("/api/v1/keys", "post", {
        name: "gateway",
        environment: "live",
        scopes: ["read"],
        permissions: ["inference:read"],
      }),
    );
    await conforms("/api/v1/keys", "post", holder, 201);
    await conforms("/api/v1/permissions", "put", await put({ permissions: [] }, token), 409);

    const routeTable = requestConforms("/api/v1/routes", "put", {
      default: "deny",
      routes: [{ method: "GET", path: "/v1/models/:id", scope: "read", permissions: ["inference:read"], cost: 2 }],
    });
    const putRoutes = (body: unknown, key?: string) => api(apiRequest("/api/v1/routes", { method: "PUT", key, body }));
    await conforms("/api/v1/routes", "put", await putRoutes(routeTable, token), 200);
    await conforms("/api/v1/routes", "put", await putRoutes({ routes: [{ method: "GET", path: "x" }] }, token), 400);
    await conforms("/api/v1/routes", "put", await putRoutes(routeTable), 401);
    await conforms("/api/v1/routes", "get", await api(apiRequest("/api/v1/routes", { key: token })), 200);
    await conforms("/api/v1/routes", "get", await api(apiRequest("/api/v1/routes", { key: reader.secret })), 401);

    // The shared answers of every key-authenticated route: no key (401), wrong client ID (403), over the limit (429:
    // a key limited to 1 request per minute, spent by the whoami call).
    const limited = await makeKey(user.id, ["admin"], { rateLimit: 1 });
    await conforms("/api/v1/whoami", "get", await api(apiRequest("/api/v1/whoami", { key: limited.secret })), 200);
    await conforms("/api/v1/whoami", "get", await api(apiRequest("/api/v1/whoami", { key: limited.secret })), 429);
    // Webhooks (admin scope): a resolver stands in for DNS so the URL check needs no network.
    setWebhookResolver(async () => [{ address: "93.184.215.14", family: 4 }]);
    const hookBody = requestConforms("/api/v1/webhooks", "post", {
      url: "https://hooks.example.com/keyhold",
      events: ["key.created", "key.revoked"],
      description: "documented",
    });
    const hook = await api(apiRequest("/api/v1/webhooks", { method: "POST", key: admin.secret, body: hookBody }));
    const hookId = (await hook.clone().json()).webhook.id as string;
    await conforms("/api/v1/webhooks", "post", hook, 201);
    await conforms(
      "/api/v1/webhooks",
      "post",
      await api(
        apiRequest("/api/v1/webhooks", {
          method: "POST",
          key: admin.secret,
          body: { url: "https://10.0.0.1/", events: [] },
        }),
      ),
      400,
    );
    await conforms("/api/v1/webhooks", "get", await api(apiRequest("/api/v1/webhooks", { key: admin.secret })), 200);
    await conforms(
      "/api/v1/webhooks/{id}",
      "get",
      await api(apiRequest(`/api/v1/webhooks/${hookId}`, { key: admin.secret })),
      200,
    );
    await conforms(
      "/api/v1/webhooks/{id}",
      "get",
      await api(apiRequest("/api/v1/webhooks/nope", { key: admin.secret })),
      404,
    );
    const hookPatch = requestConforms("/api/v1/webhooks/{id}", "patch", { description: "renamed", enabled: true });
    await conforms(
      "/api/v1/webhooks/{id}",
      "patch",
      await api(apiRequest(`/api/v1/webhooks/${hookId}`, { method: "PATCH", key: admin.secret, body: hookPatch })),
      200,
    );
    await conforms(
      "/api/v1/webhooks/{id}",
      "patch",
      await api(
        apiRequest(`/api/v1/webhooks/${hookId}`, { method: "PATCH", key: admin.secret, body: { events: ["x"] } }),
      ),
      400,
    );
    await conforms(
      "/api/v1/webhooks/{id}",
      "patch",
      await api(apiRequest("/api/v1/webhooks/nope", { method: "PATCH", key: admin.secret, body: hookPatch })),
      404,
    );
    const delivery = await sendTestEvent(user.organization.id, hookId);
    await conforms(
      "/api/v1/webhooks/{id}/deliveries",
      "get",
      await api(apiRequest(`/api/v1/webhooks/${hookId}/deliveries?limit=5`, { key: admin.secret })),
      200,
    );
    await conforms(
      "/api/v1/webhooks/{id}/deliveries",
      "get",
      await api(apiRequest(`/api/v1/webhooks/${hookId}/deliveries?limit=0`, { key: admin.secret })),
      400,
    );
    await conforms(
      "/api/v1/webhooks/{id}/deliveries",
      "get",
      await api(apiRequest("/api/v1/webhooks/nope/deliveries", { key: admin.secret })),
      404,
    );
    const retryPath = `/api/v1/webhooks/${hookId}/deliveries/${delivery.id}/retry`;
    await conforms(
      "/api/v1/webhooks/{id}/deliveries/{d}/retry",
      "post",
      await api(apiRequest(retryPath, { method: "POST", key: admin.secret })),
      202,
    );
    await conforms(
      "/api/v1/webhooks/{id}/deliveries/{d}/retry",
      "post",
      await api(apiRequest(`/api/v1/webhooks/${hookId}/deliveries/nope/retry`, { method: "POST", key: admin.secret })),
      404,
    );
    await conforms(
      "/api/v1/webhooks/{id}/test",
      "post",
      await api(apiRequest(`/api/v1/webhooks/${hookId}/test`, { method: "POST", key: admin.secret })),
      202,
    );
    await conforms(
      "/api/v1/webhooks/{id}/test",
      "post",
      await api(apiRequest("/api/v1/webhooks/nope/test", { method: "POST", key: admin.secret })),
      404,
    );
    // The event stream's 200 is text/event-stream (its frames are checked in webhooks-test-stream.test.ts).
    const stream = await api(apiRequest("/api/v1/events/stream", { key: admin.secret }));
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(doc.paths["/api/v1/events/stream"].get.responses["200"].content?.["text/event-stream"]).toBeDefined();
    await stream.body?.cancel();
    seen.add("get /api/v1/events/stream 200");
    await api(
      apiRequest(`/api/v1/webhooks/${hookId}`, { method: "PATCH", key: admin.secret, body: { enabled: false } }),
    );
    await conforms(
      "/api/v1/webhooks/{id}/test",
      "post",
      await api(apiRequest(`/api/v1/webhooks/${hookId}/test`, { method: "POST", key: admin.secret })),
      409,
    );
    await conforms(
      "/api/v1/webhooks/{id}/deliveries/{d}/retry",
      "post",
      await api(apiRequest(retryPath, { method: "POST", key: admin.secret })),
      409,
    );
    await conforms(
      "/api/v1/webhooks/{id}",
      "delete",
      await api(apiRequest(`/api/v1/webhooks/${hookId}`, { method: "DELETE", key: admin.secret })),
      200,
    );
    await conforms(
      "/api/v1/webhooks/{id}",
      "delete",
      await api(apiRequest(`/api/v1/webhooks/${hookId}`, { method: "DELETE", key: admin.secret })),
      404,
    );
    setWebhookResolver(undefined);

    const keyed: [string, string][] = [
      ["/api/v1/members", "get"],
      ["/api/v1/organization", "get"],
      ["/api/v1/keys", "get"],
      ["/api/v1/keys", "post"],
      ["/api/v1/keys/{id}", "get"],
      ["/api/v1/keys/{id}", "patch"],
      ["/api/v1/keys/{id}/rotate", "post"],
      ["/api/v1/keys/{id}/revoke", "post"],
      ["/api/v1/usage", "get"],
      ["/api/v1/audit", "get"],
      ["/api/v1/permissions", "get"],
      ["/api/v1/webhooks", "get"],
      ["/api/v1/webhooks", "post"],
      ["/api/v1/webhooks/{id}", "get"],
      ["/api/v1/webhooks/{id}", "patch"],
      ["/api/v1/webhooks/{id}", "delete"],
      ["/api/v1/webhooks/{id}/deliveries", "get"],
      ["/api/v1/webhooks/{id}/deliveries/{d}/retry", "post"],
      ["/api/v1/cli/logout", "post"],
      ["/api/v1/webhooks/{id}/test", "post"],
      ["/api/v1/events/stream", "get"],
    ];
    for (const [template, method] of keyed) {
      const url = template.replace("{id}", id).replace("{d}", id);
      await conforms(template, method, await api(apiRequest(url, { method: method.toUpperCase() })), 401);
      await conforms(
        template,
        method,
        await api(
          apiRequest(url, {
            method: method.toUpperCase(),
            key: admin.secret,
            headers: { "x-client-id": "kh_client_wrong" },
          }),
        ),
        403,
      );
      await conforms(
        template,
        method,
        await api(apiRequest(url, { method: method.toUpperCase(), key: limited.secret })),
        429,
      );
    }

    const githubLeak = (body: string, signed = true) =>
      api(
        apiRequest("/api/v1/leaks/github", {
          method: "POST",
          rawBody: body,
          headers: {
            "Github-Public-Key-Identifier": "gh-1",
            "Github-Public-Key-Signature": signed
              ? sign("sha256", Buffer.from(body), github.privateKey).toString("base64")
              : "",
          },
        }),
      );
    const leaked = JSON.stringify(
      requestConforms("/api/v1/leaks/github", "post", [
        { token: other.secret, type: "keyhold_api_key", url: "https://github.com/o/r/blob/1/.env", source: "commit" },
      ]),
    );
    await conforms("/api/v1/leaks/github", "post", await githubLeak(leaked), 200);
    await conforms("/api/v1/leaks/github", "post", await githubLeak("{"), 400);
    await conforms("/api/v1/leaks/github", "post", await githubLeak(leaked, false), 401);
    // The CLI's browser sign-in: start, poll (pending, then the key once approved), logout of that key, the limit.
    const cliDevice = (body: unknown) => api(apiRequest("/api/v1/cli/device", { method: "POST", body }));
    const cliToken = (body: unknown) => api(apiRequest("/api/v1/cli/token", { method: "POST", body }));
    const started = await cliDevice(requestConforms("/api/v1/cli/device", "post", { client_name: "docs-box" }));
    const { device_code: deviceCode } = await started.clone().json();
    await conforms("/api/v1/cli/device", "post", started, 200);
    await conforms("/api/v1/cli/device", "post", await cliDevice({ client_name: "" }), 400);
    const tokenBody = requestConforms("/api/v1/cli/token", "post", { device_code: deviceCode });
    await conforms("/api/v1/cli/token", "post", await cliToken(tokenBody), 400);
    await db.current.client.cliDeviceAuthorization.updateMany({
      data: {
        status: "approved",
        approvedById: user.id,
        organizationId: user.organization.id,
        environment: "test",
        scopes: ["read"],
        lastPolledAt: null,
      },
    });
    const issued = await cliToken(tokenBody);
    const cliKey = (await issued.clone().json()).secret as string;
    await conforms("/api/v1/cli/token", "post", issued, 200);
    await conforms(
      "/api/v1/cli/logout",
      "post",
      await api(apiRequest("/api/v1/cli/logout", { method: "POST", key: cliKey })),
      200,
    );
    for (let i = 0; i < 10; i++) await cliDevice({});
    await conforms("/api/v1/cli/device", "post", await cliDevice({}), 429);

    const leakReport = (body: unknown) => api(apiRequest("/api/v1/leaks/report", { method: "POST", body }));
    const reported = requestConforms("/api/v1/leaks/report", "post", { key: "kh_live_x", url: "https://x.example/" });
    await conforms("/api/v1/leaks/report", "post", await leakReport(reported), 202);
    await conforms("/api/v1/leaks/report", "post", await leakReport({ url: "https://x.example/" }), 400);
    for (let i = 0; i < 10; i++) await leakReport(reported);
    await conforms("/api/v1/leaks/report", "post", await leakReport(reported), 429);

    // Every documented status except the service-token routes' 404 (tested where the token is unset) was exercised.
    const documented = Object.entries(doc.paths)
      .filter(([p]) => p !== "/api/v1/authorize")
      .flatMap(([p, ops]) =>
        Object.entries(ops).flatMap(([m, op]) => Object.keys(op.responses).map((s) => `${m} ${p} ${s}`)),
      );
    expect(documented.filter((d) => !seen.has(d)).sort()).toEqual([
      "get /api/v1/routes 404",
      "post /api/v1/verify 404",
      "put /api/v1/permissions 404",
      "put /api/v1/routes 404",
    ]);
  });
});
