// /api/health: readiness and database reachability (not part of the /api/v1 document); /api/v1/ping is the liveness probe.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { databaseReachable } from "../../health";
import { isDraining } from "../../shutdown";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { jsonBody } from "../route-declarations";
import { HealthSchema } from "../schemas";

export const healthRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/health — 200 while the database answers, 503 (degraded) while it does not, 503 (draining) once the server
// has begun its shutdown drain, so a load balancer stops sending before the process exits.
defineRoute(
  healthRoutes,
  createRoute({
    method: "get",
    path: "/api/health",
    hide: true,
    summary: "Readiness: whether this instance takes traffic",
    responses: {
      200: { description: "Ready: the database answers", content: jsonBody(HealthSchema) },
      503: { description: "Not ready: draining, or the database is unreachable", content: jsonBody(HealthSchema) },
    },
  }),
  async (_c, { reply }) => {
    if (isDraining()) return reply({ status: "draining" }, 503);
    const ok = await databaseReachable();
    return ok ? reply({ status: "ok", database: "ok" }) : reply({ status: "degraded", database: "unreachable" }, 503);
  },
);
