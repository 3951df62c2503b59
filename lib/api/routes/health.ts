// /api/health: liveness and database reachability (not part of the /api/v1 document).
import { OpenAPIHono } from "@hono/zod-openapi";
import { databaseReachable } from "../../health";
import type { ApiEnv } from "../require-key";
import { json } from "../responses";

export const healthRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/health — 200 while the database answers, 503 (degraded) while it does not.
healthRoutes.get("/api/health", async () => {
  const ok = await databaseReachable();
  return json({ status: ok ? "ok" : "degraded", database: ok ? "ok" : "unreachable" }, ok ? 200 : 503);
});
