// GET /api/v1/ping: unauthenticated API liveness and the caller's address.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { clientIp } from "../../ip/client-ip";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { requestHeaders } from "../request";
import { jsonBody } from "../route-declarations";
import { PingSchema } from "../schemas";

export const pingRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/v1/ping — liveness and the caller's address, with no database work (bench:verify's baseline: it reads the
// request like whoami does, minus the key).
defineRoute(
  pingRoutes,
  createRoute({
    method: "get",
    path: "/api/v1/ping",
    summary: "API liveness and the caller's address; no authentication, no database work",
    responses: { 200: { description: "Up", content: jsonBody(PingSchema) } },
  }),
  (c, { reply }) => reply({ status: "ok", time: new Date().toISOString(), ip: clientIp(requestHeaders(c)) }),
);
