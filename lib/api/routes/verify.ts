// /api/v1/verify: the platform's gateway asks whether a key is good.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { serviceTokenStatus, verifyForGateway } from "../gateway-verify";
import { defineRoute } from "../define-route";
import { requireToken } from "../guards";
import type { ApiEnv } from "../require-key";
import { BAD_REQUEST, errorAnswer, jsonBody } from "../route-declarations";
import { VerifyRequest, VerifyResponseSchema } from "../schemas";

// The service token (Authorization: Bearer $KEYHOLD_SERVICE_TOKEN) before the body is read; 404 while it is unset.
export const requireServiceToken = requireToken(
  serviceTokenStatus,
  "Send the service token as Authorization: Bearer <token>.",
);

export const verifyRoutes = new OpenAPIHono<ApiEnv>();

// POST /api/v1/verify — the platform's gateway asks whether a key is good (service token; 404 while it is unset).
defineRoute(
  verifyRoutes,
  createRoute({
    method: "post",
    path: "/api/v1/verify",
    summary: "For the platform's gateway: is this key good for this scope and these permissions?",
    description:
      "Needs Authorization: Bearer $KEYHOLD_SERVICE_TOKEN. Answers 404 while KEYHOLD_SERVICE_TOKEN is unset.",
    middleware: [requireServiceToken],
    security: [{ serviceToken: [] }],
    request: { body: { required: true, content: jsonBody(VerifyRequest) } },
    responses: {
      200: { description: "The verdict (valid or not)", content: jsonBody(VerifyResponseSchema) },
      ...BAD_REQUEST,
      401: errorAnswer("missing or wrong service token"),
      404: errorAnswer("the route is disabled"),
    },
  }),
  async (_c, { body, reply }) => reply(await verifyForGateway(body)),
);
