// /api/health: readiness and database reachability (not part of the /api/v1 document); /api/v1/ping is the liveness probe.
import { OpenAPIHono } from "@hono/zod-openapi";
import { databaseReachable } from "../../health";
import { isDraining } from "../../shutdown";
import type { ApiEnv } from "../require-key";
import { json } from "../responses";

export const healthRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/health — 200 while the database answers, 503 (degraded) while it does not, 503 (draining) once the server
// has begun its shutdown drain, so a load balancer stops sending before the process exits.
healthRoutes.get("/api/health", async () => {
  if (isDraining()) return json({ status: "draining" }, 503);
  const ok = await databaseReachable();
  return json({ status: ok ? "ok" : "degraded", database: ok ? "ok" : "unreachable" }, ok ? 200 : 503);
});
