// The API server: one Hono app for /api/v1/**, /api/health and /api/metrics, served by scripts/server.ts beside Next.js
// and alone by scripts/api-server.ts. The OpenAPI 3.1 document is generated from the route declarations.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { invalidRequest } from "../validations/field-errors";
import { defineRoute } from "./define-route";
import { registerWebhookEvents } from "./webhook-events";
import { apiHeaders, errorJson, errorResponse, json, JsonText } from "./responses";
import type { ApiEnv } from "./require-key";
import { auditRoutes } from "./routes/audit";
import { authorizeRoutes } from "./routes/authorize";
import { cliRoutes } from "./routes/cli";
import { docsRoutes } from "./routes/docs";
import { eventsRoutes } from "./routes/events";
import { healthRoutes } from "./routes/health";
import { keysRoutes } from "./routes/keys";
import { leaksRoutes } from "./routes/leaks";
import { membersRoutes } from "./routes/members";
import { metricsRoutes } from "./routes/metrics";
import { organizationRoutes } from "./routes/organization";
import { permissionsRoutes } from "./routes/permissions";
import { pingRoutes } from "./routes/ping";
import { routesRoutes } from "./routes/routes";
import { usageRoutes } from "./routes/usage";
import { verifyRoutes } from "./routes/verify";
import { webhooksRoutes } from "./routes/webhooks";
import { whoamiRoutes } from "./routes/whoami";

// Whatever zod-openapi validates itself (path parameters) fails as every other input does: 400 invalid_request
// naming the field, through the error handler below.
export const app = new OpenAPIHono<ApiEnv>({
  defaultHook: (result) => {
    if (!result.success) throw invalidRequest(result.error);
  },
});

for (const routes of [
  pingRoutes,
  whoamiRoutes,
  organizationRoutes,
  membersRoutes,
  keysRoutes,
  permissionsRoutes,
  usageRoutes,
  auditRoutes,
  verifyRoutes,
  authorizeRoutes,
  routesRoutes,
  leaksRoutes,
  cliRoutes,
  webhooksRoutes,
  eventsRoutes,
  healthRoutes,
  metricsRoutes,
  docsRoutes,
])
  app.route("/", routes);

// The credentials routes name in their `security`: a key (as a bearer token or in X-API-Key) or the service token.
const securitySchemes = {
  bearerKey: { type: "http", scheme: "bearer", description: "An API key (kh_live_… or kh_test_…)" },
  headerKey: { type: "apiKey", in: "header", name: "X-API-Key" },
  serviceToken: { type: "http", scheme: "bearer", description: "KEYHOLD_SERVICE_TOKEN" },
  proxyToken: {
    type: "apiKey",
    in: "header",
    name: "X-Keyhold-Service-Token",
    description: "KEYHOLD_SERVICE_TOKEN, for /api/v1/authorize (Authorization carries the customer's key)",
  },
} as const;
for (const [name, scheme] of Object.entries(securitySchemes))
  app.openAPIRegistry.registerComponent("securitySchemes", name, scheme);

registerWebhookEvents(app.openAPIRegistry);

// GET /api/v1/openapi.json — the generated document (below), serialised once.
defineRoute(
  app,
  createRoute({
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This document",
    responses: { 200: { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } },
  }),
  () => json(documentText),
);

// The OpenAPI 3.1 document of /api/v1, generated once from the route declarations.
export const openApiDocument = app.getOpenAPI31Document({
  openapi: "3.1.0",
  info: {
    title: "Keyhold API",
    version: "1.0.0",
    description:
      "Manage and verify API keys. Authenticate with an API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`.",
  },
  servers: [{ url: "/" }],
});

const documentText = new JsonText(JSON.stringify(openApiDocument));

type RouteEntry = { method: string; path: string };

// Every route the app serves (method and path template, e.g. GET /api/v1/keys/{id}), for tests that walk them all.
export function apiRoutes(): RouteEntry[] {
  const seen = new Map<string, RouteEntry>();
  for (const r of app.routes) {
    if (r.method === "ALL") continue;
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    seen.set(`${r.method} ${path}`, { method: r.method, path });
  }
  return [...seen.values()];
}

let routeMatchers: { method: string; pattern: RegExp }[] | undefined;

// The methods the app serves at a path (none: an unknown path).
function methodsAt(path: string): string[] {
  routeMatchers ??= apiRoutes().map((r) => ({
    method: r.method,
    pattern: new RegExp(`^${r.path.replace(/\{\w+\}/g, "[^/]+")}$`),
  }));
  return routeMatchers.filter((r) => r.pattern.test(path)).map((r) => r.method);
}

// A known path with a method it does not serve answers as Next.js did: OPTIONS lists the methods, anything else is 405.
app.notFound((c) => {
  const methods = methodsAt(c.req.path);
  if (methods.length === 0) return errorJson("not_found", "Not found");
  if (c.req.method === "OPTIONS") {
    const allow = ["OPTIONS", ...methods, ...(methods.includes("GET") ? ["HEAD"] : [])];
    return new Response(null, { status: 204, headers: apiHeaders({ Allow: allow.join(", ") }) });
  }
  return new Response(null, { status: 405, headers: apiHeaders({}) });
});

// Anything a handler or middleware throws: ApiErrors by code, an unreachable database as 503, anything else a 500;
// on a counted request with its rate-limit headers.
app.onError((err, c) => errorResponse(err, c.get("rateLimitHeaders")));
