// /api/metrics: Prometheus text exposition (not part of the /api/v1 document).
import { OpenAPIHono } from "@hono/zod-openapi";
import { metricsAccess, renderMetrics } from "../../usage/metrics";
import type { ApiEnv } from "../require-key";

export const metricsRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/metrics — behind `Authorization: Bearer $METRICS_TOKEN` (404 while the token is unset).
metricsRoutes.get("/api/metrics", async (c) => {
  const access = metricsAccess(c.req.header("authorization") ?? null);
  if (access === "disabled")
    return Response.json({ error: { code: "not_found", message: "Not found" } }, { status: 404 });
  if (access === "denied") {
    return Response.json(
      { error: { code: "unauthorized", message: "A valid metrics token is required" } },
      { status: 401, headers: { "WWW-Authenticate": "Bearer" } },
    );
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
});
