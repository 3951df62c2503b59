// /api/v1/permissions: the platform's permission catalogue (read by any key, replaced with the service token).
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { listPermissions, replaceCatalogue } from "../../permissions/catalogue";
import { clientIp } from "../../ip/client-ip";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { requestHeaders } from "../request";
import { BAD_REQUEST, errorAnswer, jsonBody, keyRoute } from "../route-declarations";
import { PermissionCatalogueRequest, PermissionListSchema } from "../schemas";
import { requireServiceToken } from "./verify";

export const permissionsRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/v1/permissions — the catalogue, by name (any valid key).
defineRoute(
  permissionsRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/permissions",
    summary: "The permission catalogue: every resource:action keys may hold",
    responses: { 200: { description: "The catalogue", content: jsonBody(PermissionListSchema) } },
  }),
  async (_c, { reply }) => reply({ data: await listPermissions() }),
);

// PUT /api/v1/permissions — replace the catalogue (configuration as code; service token; audited).
defineRoute(
  permissionsRoutes,
  createRoute({
    method: "put",
    path: "/api/v1/permissions",
    summary: "Replace the permission catalogue with this document",
    description:
      "Needs Authorization: Bearer $KEYHOLD_SERVICE_TOKEN (404 while it is unset). Names missing from the document are " +
      "removed, new ones added, descriptions updated, in one transaction; a permission an active key holds cannot be " +
      "removed (409 naming it, nothing changed).",
    middleware: [requireServiceToken],
    security: [{ serviceToken: [] }],
    request: { body: { required: true, content: jsonBody(PermissionCatalogueRequest) } },
    responses: {
      200: { description: "The new catalogue", content: jsonBody(PermissionListSchema) },
      ...BAD_REQUEST,
      401: errorAnswer("missing or wrong service token"),
      404: errorAnswer("the route is disabled (KEYHOLD_SERVICE_TOKEN unset)"),
      409: errorAnswer("conflict: the document leaves out a permission an active key holds"),
    },
  }),
  async (c, { body, reply }) => reply({ data: await replaceCatalogue("service", body, clientIp(requestHeaders(c))) }),
);
