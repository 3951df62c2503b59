// /api/v1/keys: the organization's keys (list, create, get, edit, rotate, revoke).
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { listKeys } from "../../keys/list";
import { createKey, getKey, revokeKey, rotateKey, updateKey } from "../../keys/service";
import { keyIdSchema } from "../../validations/keys";
import { defineRoute } from "../define-route";
import { parsePathParam } from "../request";
import type { ApiEnv } from "../require-key";
import { BAD_REQUEST, clientIdHeader, idParams, jsonBody, keyAuthenticated, NOT_FOUND } from "../route-declarations";
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
  createRoute({
    method: "get",
    path: "/api/v1/keys",
    summary: "The organization's keys, newest first",
    request: { headers: clientIdHeader, query: ListKeysQuery },
    ...keyAuthenticated(
      "read",
      { 200: { description: "One page", content: jsonBody(KeyListSchema) }, ...BAD_REQUEST },
      "org.read",
    ),
  }),
  async (c, { query, reply }) => reply(await listKeys(c.get("key").organizationId, query)),
);

// POST /api/v1/keys — create a key; 201 with the key and its secret, shown this once (admin).
defineRoute(
  keysRoutes,
  createRoute({
    method: "post",
    path: "/api/v1/keys",
    summary: "Create a key; the secret is in this response only",
    request: { headers: clientIdHeader, body: { required: true, content: jsonBody(CreateKeyRequest) } },
    ...keyAuthenticated(
      "admin",
      {
        201: { description: "Created", content: jsonBody(KeyWithSecretSchema) },
        ...BAD_REQUEST,
      },
      "keys.create",
    ),
  }),
  async (c, { body, reply }) => reply(await createKey(c.get("actor"), body, { ip: c.get("ip") }), 201),
);

// GET /api/v1/keys/{id} — one key of the organization (read).
defineRoute(
  keysRoutes,
  createRoute({
    method: "get",
    path: "/api/v1/keys/{id}",
    summary: "One key",
    request: { headers: clientIdHeader, params: idParams },
    ...keyAuthenticated(
      "read",
      { 200: { description: "The key", content: jsonBody(KeySchema) }, ...NOT_FOUND },
      "org.read",
    ),
  }),
  async (c, { params, reply }) => reply(await getKey(c.get("key").organizationId, keyIdOf(params.id))),
);

// PATCH /api/v1/keys/{id} — rename, change scopes, expiry, IP allowlist or rate limit (admin).
defineRoute(
  keysRoutes,
  createRoute({
    method: "patch",
    path: "/api/v1/keys/{id}",
    summary: "Rename a key or change its scopes, expiry, IP allowlist or rate limit",
    request: {
      headers: clientIdHeader,
      params: idParams,
      body: { required: true, content: jsonBody(UpdateKeyRequest) },
    },
    ...keyAuthenticated(
      "admin",
      {
        200: { description: "The updated key", content: jsonBody(KeySchema) },
        ...BAD_REQUEST,
        ...NOT_FOUND,
      },
      "keys.manage",
    ),
  }),
  async (c, { body, params, reply }) =>
    reply(await updateKey(c.get("actor"), keyIdOf(params.id), body, { ip: c.get("ip") })),
);

// POST /api/v1/keys/{id}/rotate — issue a new secret, keep the old one for gracePeriodSeconds (admin).
defineRoute(
  keysRoutes,
  createRoute({
    method: "post",
    path: "/api/v1/keys/{id}/rotate",
    summary: "Issue a new secret; the old one keeps working for gracePeriodSeconds (0: stops at once)",
    request: {
      headers: clientIdHeader,
      params: idParams,
      body: { required: false, content: jsonBody(RotateKeyRequest) },
    },
    ...keyAuthenticated(
      "admin",
      {
        200: { description: "The key and its new secret", content: jsonBody(KeyWithSecretSchema) },
        ...BAD_REQUEST,
        ...NOT_FOUND,
      },
      "keys.manage",
    ),
  }),
  async (c, { body, params, reply }) =>
    reply(await rotateKey(c.get("actor"), keyIdOf(params.id), body.gracePeriodSeconds, { ip: c.get("ip") })),
);

// POST /api/v1/keys/{id}/revoke — revoke now; revoking again answers the same (admin).
defineRoute(
  keysRoutes,
  createRoute({
    method: "post",
    path: "/api/v1/keys/{id}/revoke",
    summary: "Revoke a key now (idempotent)",
    request: { headers: clientIdHeader, params: idParams },
    ...keyAuthenticated(
      "admin",
      {
        200: { description: "The revoked key", content: jsonBody(KeySchema) },
        ...NOT_FOUND,
      },
      "keys.manage",
    ),
  }),
  async (c, { params, reply }) => reply(await revokeKey(c.get("actor"), keyIdOf(params.id), { ip: c.get("ip") })),
);
