// /api/metrics: Prometheus text exposition (not part of the /api/v1 document).
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { metricsAccess, renderMetrics } from "../../usage/metrics";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { apiHeaders, errorJson } from "../responses";
import { errorAnswer } from "../route-declarations";

export const metricsRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/metrics — behind `Authorization: Bearer $METRICS_TOKEN` (404 while the token is unset).
defineRoute(
  metricsRoutes,
  createRoute({
    method: "get",
    path: "/api/metrics",
    hide: true,
    summary: "Prometheus metrics",
    responses: {
      200: { description: "The text exposition format", content: { "text/plain": { schema: z.string() } } },
      401: errorAnswer("unauthenticated: no or a wrong METRICS_TOKEN"),
      404: errorAnswer("not_found: METRICS_TOKEN is unset"),
    },
  }),
  async (c) => {
    const access = metricsAccess(c.req.header("authorization") ?? null);
    if (access === "disabled") return errorJson("not_found", "Not found");
    if (access === "denied") return errorJson("unauthenticated", "A valid metrics token is required");
    const { body, contentType } = await renderMetrics();
    return new Response(body, { headers: apiHeaders({ "Content-Type": contentType, "Cache-Control": "no-store" }) });
  },
);
