// /api/v1/routes: the forward-authentication route table as configuration as code (service token).
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { clientIp } from "../../ip/client-ip";
import { getRouteTable, replaceRouteTable } from "../../routes/table";
import { routeTableSchema } from "../../validations/routes";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { requestHeaders } from "../request";
import { BAD_REQUEST, errorAnswer, jsonBody } from "../route-declarations";
import { requireServiceToken } from "./verify";

const RouteTableRequest = routeTableSchema.meta({ id: "RouteTableDocument" });
const RouteTableSchema = z
  .strictObject({
    default: z.enum(["deny", "allow"]).meta({ description: "Unmatched requests: refused (deny) or any valid key" }),
    routes: z.array(
      z
        .strictObject({
          method: z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "*"]),
          path: z.string().meta({ description: "/v1/models/:id, /v1/chat/* (* only last: the rest of the path)" }),
          scope: z.enum(["read", "write", "admin"]).optional(),
          permissions: z.array(z.string()).optional(),
          cost: z.number().int().optional().meta({ description: "Credits spent (default 1)" }),
          public: z.boolean().optional().meta({ description: "No key needed; nothing recorded" }),
        })
        .meta({ id: "Route" }),
    ),
  })
  .meta({ id: "RouteTable" });

const SERVICE_TOKEN = {
  middleware: [requireServiceToken],
  security: [{ serviceToken: [] }],
};
const SERVICE_ERRORS = {
  401: errorAnswer("missing or wrong service token"),
  404: errorAnswer("the route is disabled (KEYHOLD_SERVICE_TOKEN unset)"),
};

export const routesRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/v1/routes — the route table (service token).
defineRoute(
  routesRoutes,
  createRoute({
    method: "get",
    path: "/api/v1/routes",
    summary: "The forward-authentication route table",
    description: "Needs Authorization: Bearer $KEYHOLD_SERVICE_TOKEN (404 while it is unset).",
    ...SERVICE_TOKEN,
    responses: { 200: { description: "The table", content: jsonBody(RouteTableSchema) }, ...SERVICE_ERRORS },
  }),
  async (_c, { reply }) => reply(await getRouteTable()),
);

// PUT /api/v1/routes — replace the route table (configuration as code; service token; audited).
defineRoute(
  routesRoutes,
  createRoute({
    method: "put",
    path: "/api/v1/routes",
    summary: "Replace the forward-authentication route table with this document",
    description:
      "Needs Authorization: Bearer $KEYHOLD_SERVICE_TOKEN (404 while it is unset). The most specific pattern wins " +
      "(literal segment > :param > *); a permission the catalogue lacks, a bad pattern or two routes matching the same " +
      "requests are a 400 naming the field. Every instance uses the new table within a second.",
    ...SERVICE_TOKEN,
    request: { body: { required: true, content: jsonBody(RouteTableRequest) } },
    responses: {
      200: { description: "The new table", content: jsonBody(RouteTableSchema) },
      ...BAD_REQUEST,
      ...SERVICE_ERRORS,
    },
  }),
  async (c, { body, reply }) => reply(await replaceRouteTable("service", body, clientIp(requestHeaders(c)))),
);
