// /api/v1/usage: the organization's usage over time.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { usageForApi } from "../../usage/report";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { clientIdHeader, errorAnswer, jsonBody, keyAuthenticated } from "../route-declarations";
import { UsageQuery, UsageSchema } from "../schemas";

export const usageRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/v1/usage — the organization's usage as a time series with totals: range or from/to, interval, keyId, tz (read).
defineRoute(
  usageRoutes,
  createRoute({
    method: "get",
    path: "/api/v1/usage",
    summary: "The organization's requests over time, by outcome, with totals (the numbers of the dashboard's charts)",
    request: { headers: clientIdHeader, query: UsageQuery },
    ...keyAuthenticated(
      "read",
      {
        200: { description: "The series and totals", content: jsonBody(UsageSchema) },
        400: errorAnswer("invalid_request: a malformed or out-of-bounds parameter (the message names it)"),
        404: errorAnswer("not_found: keyId is not a key of this organization"),
      },
      "org.read",
    ),
  }),
  // The range resolves against the time of the request (lib/validations/usage.ts).
  async (c, { query, reply }) => reply(await usageForApi(c.get("key").organizationId, query)),
);
