// /api/metrics: Prometheus text exposition (not part of the /api/v1 document).
import { OpenAPIHono } from "@hono/zod-openapi";
import { metricsAccess, renderMetrics } from "../../usage/metrics";
import type { ApiEnv } from "../require-key";
import { apiHeaders, errorJson } from "../responses";

export const metricsRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/metrics — behind `Authorization: Bearer $METRICS_TOKEN` (404 while the token is unset).
metricsRoutes.get("/api/metrics", async (c) => {
  const access = metricsAccess(c.req.header("authorization") ?? null);
  if (access === "disabled") return errorJson("not_found", "Not found");
  if (access === "denied") return errorJson("unauthenticated", "A valid metrics token is required");
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: apiHeaders({ "Content-Type": contentType, "Cache-Control": "no-store" }) });
});
