// /api/v1/usage: the organization's usage over time.
import { OpenAPIHono } from "@hono/zod-openapi";
import { usageForApi } from "../../usage/report";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { errorAnswer, jsonBody, keyRoute } from "../route-declarations";
import { UsageQuery, UsageSchema } from "../schemas";

export const usageRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/v1/usage — the organization's usage as a time series with totals: range or from/to, interval, keyId, tz (read).
defineRoute(
  usageRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/usage",
    summary: "The organization's requests over time, by outcome, with totals (the numbers of the dashboard's charts)",
    request: { query: UsageQuery },
    auth: { scope: "read", capability: "org.read" },
    responses: {
      200: { description: "The series and totals", content: jsonBody(UsageSchema) },
      400: errorAnswer("invalid_request: a malformed or out-of-bounds parameter (the message names it)"),
      404: errorAnswer("not_found: keyId is not a key of this organization"),
    },
  }),
  // The range resolves against the time of the request (lib/validations/usage.ts).
  async (c, { query, reply }) => reply(await usageForApi(c.get("key").organizationId, query)),
);
