// GET /api/v1/members: the members of the key's organization.
import { OpenAPIHono } from "@hono/zod-openapi";
import { listMembers } from "../../orgs/members";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { jsonBody, keyRoute } from "../route-declarations";
import { MemberListSchema } from "../schemas";

export const membersRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/v1/members — every member of the organization with their role and whether they use MFA (read).
defineRoute(
  membersRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/members",
    summary: "The organization's members, in the order they joined",
    auth: { scope: "read", capability: "org.read" },
    responses: { 200: { description: "The members", content: jsonBody(MemberListSchema) } },
  }),
  async (c, { reply }) => {
    const members = await listMembers(c.get("key").organizationId);
    return reply({ data: members.map((m) => ({ ...m, joinedAt: m.joinedAt.toISOString() })) });
  },
);
