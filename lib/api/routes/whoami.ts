// GET /api/v1/whoami: the calling key.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { toKeyObject } from "../../keys/record";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { json } from "../responses";
import { clientIdHeader, jsonBody, keyAuthenticated } from "../route-docs";
import { WhoamiSchema } from "../schemas";

export const whoamiRoutes = new OpenAPIHono<ApiEnv>();

// GET /api/v1/whoami — the calling key and its account's client ID (any scope).
defineRoute(
  whoamiRoutes,
  createRoute({
    method: "get",
    path: "/api/v1/whoami",
    summary: "The calling key and its account's client ID",
    request: { headers: clientIdHeader },
    ...keyAuthenticated(undefined, { 200: { description: "The key", content: jsonBody(WhoamiSchema) } }),
  }),
  (c) => {
    const key = c.var.key;
    return json({ key: toKeyObject(key), clientId: key.user.clientId });
  },
);
