// /api/v1/keys: the organization's keys (list, create, get, edit, rotate, revoke).
import { OpenAPIHono } from "@hono/zod-openapi";
import { listKeys } from "../../keys/list";
import { createKey, getKey, revokeKey, rotateKey, updateKey } from "../../keys/service";
import { keyIdSchema } from "../../validations/keys";
import { defineRoute } from "../define-route";
import { parsePathParam } from "../request";
import type { ApiEnv } from "../require-key";
import { BAD_REQUEST, idParams, jsonBody, keyRoute, NOT_FOUND } from "../route-declarations";
import {
  CreateKeyRequest,
  KeyListSchema,
  KeySchema,
  KeyWithSecretSchema,
  ListKeysQuery,
  RotateKeyRequest,
  UpdateKeyRequest,
} from "../schemas";

// Every route here is a management call: the key acts as its creator (requireKey built the Actor and asked the
// capability; the service asks again inside its transaction).
export const keysRoutes = new OpenAPIHono<ApiEnv>();

// A key id from the path; one no key can have (NUL, too long) is not_found, like an unknown id.
const keyIdOf = (raw: string) => parsePathParam(keyIdSchema, raw);

// GET /api/v1/keys — the organization's keys, newest first, cursor-paginated (read).
defineRoute(
  keysRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/keys",
    summary: "The organization's keys, newest first",
    request: { query: ListKeysQuery },
    auth: { scope: "read", capability: "org.read" },
    responses: { 200: { description: "One page", content: jsonBody(KeyListSchema) }, ...BAD_REQUEST },
  }),
  async (c, { query, reply }) => reply(await listKeys(c.get("key").organizationId, query)),
);

// POST /api/v1/keys — create a key; 201 with the key and its secret, shown this once (admin).
defineRoute(
  keysRoutes,
  keyRoute({
    method: "post",
    path: "/api/v1/keys",
    summary: "Create a key; the secret is in this response only",
    request: { body: { required: true, content: jsonBody(CreateKeyRequest) } },
    auth: { scope: "admin", capability: "keys.create" },
    responses: { 201: { description: "Created", content: jsonBody(KeyWithSecretSchema) }, ...BAD_REQUEST },
  }),
  async (c, { body, reply }) => reply(await createKey(c.get("actor"), body, { ip: c.get("ip") }), 201),
);

// GET /api/v1/keys/{id} — one key of the organization (read).
defineRoute(
  keysRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/keys/{id}",
    summary: "One key",
    request: { params: idParams },
    auth: { scope: "read", capability: "org.read" },
    responses: { 200: { description: "The key", content: jsonBody(KeySchema) }, ...NOT_FOUND },
  }),
  async (c, { params, reply }) => reply(await getKey(c.get("key").organizationId, keyIdOf(params.id))),
);

// PATCH /api/v1/keys/{id} — rename, change scopes, expiry, IP allowlist or rate limit (admin).
defineRoute(
  keysRoutes,
  keyRoute({
    method: "patch",
    path: "/api/v1/keys/{id}",
    summary: "Rename a key or change its scopes, expiry, IP allowlist or rate limit",
    request: { params: idParams, body: { required: true, content: jsonBody(UpdateKeyRequest) } },
    auth: { scope: "admin", capability: "keys.manage" },
    responses: { 200: { description: "The updated key", content: jsonBody(KeySchema) }, ...BAD_REQUEST, ...NOT_FOUND },
  }),
  async (c, { body, params, reply }) =>
    reply(await updateKey(c.get("actor"), keyIdOf(params.id), body, { ip: c.get("ip") })),
);

// POST /api/v1/keys/{id}/rotate — issue a new secret, keep the old one for gracePeriodSeconds (admin).
defineRoute(
  keysRoutes,
  keyRoute({
    method: "post",
    path: "/api/v1/keys/{id}/rotate",
    summary: "Issue a new secret; the old one keeps working for gracePeriodSeconds (0: stops at once)",
    request: { params: idParams, body: { required: false, content: jsonBody(RotateKeyRequest) } },
    auth: { scope: "admin", capability: "keys.manage" },
    responses: {
      200: { description: "The key and its new secret", content: jsonBody(KeyWithSecretSchema) },
      ...BAD_REQUEST,
      ...NOT_FOUND,
    },
  }),
  async (c, { body, params, reply }) =>
    reply(await rotateKey(c.get("actor"), keyIdOf(params.id), body.gracePeriodSeconds, { ip: c.get("ip") })),
);

// POST /api/v1/keys/{id}/revoke — revoke now; revoking again answers the same (admin).
defineRoute(
  keysRoutes,
  keyRoute({
    method: "post",
    path: "/api/v1/keys/{id}/revoke",
    summary: "Revoke a key now (idempotent)",
    request: { params: idParams },
    auth: { scope: "admin", capability: "keys.manage" },
    responses: { 200: { description: "The revoked key", content: jsonBody(KeySchema) }, ...NOT_FOUND },
  }),
  async (c, { params, reply }) => reply(await revokeKey(c.get("actor"), keyIdOf(params.id), { ip: c.get("ip") })),
);
