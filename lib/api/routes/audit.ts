// GET /api/v1/audit: the organization's audit log, filtered and cursor-paginated (admin scope, audit.read).
import { OpenAPIHono } from "@hono/zod-openapi";
import { listAuditEvents, toAuditEventObject } from "../../audit";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { BAD_REQUEST, jsonBody, keyRoute } from "../route-declarations";
import { AuditEventListSchema, ListAuditQuery } from "../schemas";

export const auditRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/v1/audit — audit events newest first: action, actorId, keyId (acting key), from/to, cursor, limit (admin).
defineRoute(
  auditRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/audit",
    summary:
      "The organization's audit events, newest first (the dashboard's audit log): filter by action, acting user (actorId), acting key (keyId) and time (from inclusive, to exclusive)",
    request: { query: ListAuditQuery },
    auth: { scope: "admin", capability: "audit.read" },
    responses: { 200: { description: "One page", content: jsonBody(AuditEventListSchema) }, ...BAD_REQUEST },
  }),
  async (c, { query, reply }) => {
    const page = await listAuditEvents({ organizationId: c.get("key").organizationId }, query);
    return reply({ data: page.data.map(toAuditEventObject), nextCursor: page.nextCursor });
  },
);
