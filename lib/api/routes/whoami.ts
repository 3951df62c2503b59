// GET /api/v1/whoami: the calling key.
import { OpenAPIHono } from "@hono/zod-openapi";
import { toKeyObject, type KeyRecord } from "../../keys/record";
import { defineRoute } from "../define-route";
import type { ApiEnv } from "../require-key";
import { JsonText } from "../responses";
import { jsonBody, keyRoute } from "../route-declarations";
import { WhoamiSchema } from "../schemas";

export const whoamiRoutes = new OpenAPIHono<ApiEnv>();

// The answer for a key record, serialised once per record: the key cache hands out the same record until it changes.
const bodies = new WeakMap<KeyRecord, ReturnType<typeof serialise>>();

function serialise(key: KeyRecord) {
  return JsonText.of({
    key: toKeyObject(key),
    clientId: key.organization.clientId,
    organization: {
      id: key.organization.id,
      slug: key.organization.slug,
      name: key.organization.name,
      plan: key.organization.plan,
    },
  });
}

function whoamiBody(key: KeyRecord) {
  let body = bodies.get(key);
  if (!body) bodies.set(key, (body = serialise(key)));
  return body;
}

// GET /api/v1/whoami — the calling key and its organization (any scope).
defineRoute(
  whoamiRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/whoami",
    summary: "The calling key and its organization",
    responses: { 200: { description: "The key", content: jsonBody(WhoamiSchema) } },
  }),
  (c, { reply }) => reply(whoamiBody(c.get("key"))),
);
