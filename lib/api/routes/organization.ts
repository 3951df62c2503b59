// GET /api/v1/organization: the key's organization.
import { OpenAPIHono } from "@hono/zod-openapi";
import { getOrganizationSummary } from "../../orgs/organizations";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { jsonBody, keyRoute } from "../route-declarations";
import { OrganizationSchema } from "../schemas";

export const organizationRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/v1/organization — the organization's identity, plan and policies (read).
defineRoute(
  organizationRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/organization",
    summary: "The key's organization: identity, plan and policies",
    auth: { scope: "read", capability: "org.read" },
    responses: { 200: { description: "The organization", content: jsonBody(OrganizationSchema) } },
  }),
  async (c, { reply }) => reply(await getOrganizationSummary(c.get("key").organizationId)),
);
