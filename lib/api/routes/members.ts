// GET /api/v1/members: the members of the key's organization.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { listMembers } from "../../orgs/members";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { clientIdHeader, jsonBody, keyAuthenticated } from "../route-declarations";
import { MemberListSchema } from "../schemas";

export const membersRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/v1/members — every member of the organization with their role and whether they use MFA (read).
defineRoute(
  membersRoutes,
  createRoute({
    method: "get",
    path: "/api/v1/members",
    summary: "The organization's members, in the order they joined",
    request: { headers: clientIdHeader },
    ...keyAuthenticated(
      "read",
      { 200: { description: "The members", content: jsonBody(MemberListSchema) } },
      "org.read",
    ),
  }),
  async (c, { reply }) => {
    const members = await listMembers(c.get("key").organizationId);
    return reply({ data: members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })) });
  },
);
