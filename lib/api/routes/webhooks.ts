// /api/v1/webhooks: the organization's webhook endpoints, their delivery log and redelivery (admin scope).
import { OpenAPIHono, z } from "@hono/zod-openapi";
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  retryDelivery,
  sendTestEvent,
  updateWebhook,
} from "../../webhooks/endpoints";
import { keyIdSchema } from "../../validations/keys";
import { defineRoute } from "../define-route";
import { parsePathParam } from "../request";
import type { ApiEnv } from "../require-key";
import { BAD_REQUEST, errorAnswer, idParams, jsonBody, keyRoute } from "../route-declarations";
import {
  CreateWebhookRequest,
  DeletedSchema,
  ListDeliveriesQuery,
  UpdateWebhookRequest,
  WebhookDeliveryListSchema,
  WebhookDeliverySchema,
  WebhookListSchema,
  WebhookSchema,
  WebhookTestSchema,
  WebhookWithSecretSchema,
} from "../schemas";

export const webhooksRoutes = new OpenAPIHono<ApiEnv>();

const NOT_FOUND = { 404: errorAnswer("not_found: no such webhook endpoint (or delivery) in this organization") };
const CONFLICT = { 409: errorAnswer("conflict: the endpoint is disabled; enable it first") };
// Every route here: an admin key acting as its creator, who must be allowed to manage webhooks.
const MANAGE = { scope: "admin", capability: "webhooks.manage" } as const;
// A queued attempt's answer (202 with `schema`), and why there may be none.
const queued = <S extends z.ZodType>(schema: S) => ({
  202: { description: "Queued; the worker attempts it within seconds", content: jsonBody(schema) },
  ...NOT_FOUND,
  ...CONFLICT,
});
const deliveryParams = z.object({ id: z.string(), d: z.string() });

// An id from the path (the same rules as a key id); one no row can have (NUL, too long) is not_found, like an unknown id.
const idOf = (raw: string) => parsePathParam(keyIdSchema, raw);

// GET /api/v1/webhooks — the organization's endpoints, oldest first (admin).
defineRoute(
  webhooksRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/webhooks",
    summary: "The organization's webhook endpoints",
    auth: MANAGE,
    responses: { 200: { description: "Every endpoint", content: jsonBody(WebhookListSchema) } },
  }),
  async (c, { reply }) => reply({ data: await listWebhooks(c.get("key").organizationId) }),
);

// POST /api/v1/webhooks — add an endpoint; 201 with its signing secret, shown this once (admin).
defineRoute(
  webhooksRoutes,
  keyRoute({
    method: "post",
    path: "/api/v1/webhooks",
    summary: "Add a webhook endpoint; the signing secret is in this response only",
    request: { body: { required: true, content: jsonBody(CreateWebhookRequest) } },
    auth: MANAGE,
    responses: { 201: { description: "Created", content: jsonBody(WebhookWithSecretSchema) }, ...BAD_REQUEST },
  }),
  async (c, { body, reply }) => reply(await createWebhook(c.get("actor"), body, { ip: c.get("ip") }), 201),
);

// GET /api/v1/webhooks/{id} — one endpoint (admin).
defineRoute(
  webhooksRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/webhooks/{id}",
    summary: "One webhook endpoint",
    request: { params: idParams },
    auth: MANAGE,
    responses: { 200: { description: "The endpoint", content: jsonBody(WebhookSchema) }, ...NOT_FOUND },
  }),
  async (c, { params, reply }) => reply(await getWebhook(c.get("key").organizationId, idOf(params.id))),
);

// PATCH /api/v1/webhooks/{id} — change the URL, events, description, or enable/disable (admin).
defineRoute(
  webhooksRoutes,
  keyRoute({
    method: "patch",
    path: "/api/v1/webhooks/{id}",
    summary: "Change a webhook endpoint; enabled: true re-enables one Keyhold disabled",
    request: { params: idParams, body: { required: true, content: jsonBody(UpdateWebhookRequest) } },
    auth: MANAGE,
    responses: {
      200: { description: "The updated endpoint", content: jsonBody(WebhookSchema) },
      ...BAD_REQUEST,
      ...NOT_FOUND,
    },
  }),
  async (c, { body, params, reply }) =>
    reply(await updateWebhook(c.get("actor"), idOf(params.id), body, { ip: c.get("ip") })),
);

// DELETE /api/v1/webhooks/{id} — remove an endpoint and its delivery log (admin).
defineRoute(
  webhooksRoutes,
  keyRoute({
    method: "delete",
    path: "/api/v1/webhooks/{id}",
    summary: "Delete a webhook endpoint and its delivery log",
    request: { params: idParams },
    auth: MANAGE,
    responses: { 200: { description: "Deleted", content: jsonBody(DeletedSchema) }, ...NOT_FOUND },
  }),
  async (c, { params, reply }) => {
    await deleteWebhook(c.get("actor"), idOf(params.id), { ip: c.get("ip") });
    return reply({ id: params.id, deleted: true });
  },
);

// GET /api/v1/webhooks/{id}/deliveries — the delivery log, newest first, with every attempt (admin).
defineRoute(
  webhooksRoutes,
  keyRoute({
    method: "get",
    path: "/api/v1/webhooks/{id}/deliveries",
    summary: "An endpoint's deliveries, newest first, each with its attempts",
    request: { params: idParams, query: ListDeliveriesQuery },
    auth: MANAGE,
    responses: {
      200: { description: "One page", content: jsonBody(WebhookDeliveryListSchema) },
      ...BAD_REQUEST,
      ...NOT_FOUND,
    },
  }),
  async (c, { params, query, reply }) =>
    reply(await listDeliveries(c.get("key").organizationId, idOf(params.id), query)),
);

// POST /api/v1/webhooks/{id}/deliveries/{d}/retry — attempt a delivery again now (admin).
defineRoute(
  webhooksRoutes,
  keyRoute({
    method: "post",
    path: "/api/v1/webhooks/{id}/deliveries/{d}/retry",
    summary: "Redeliver: queue another attempt of a delivery now",
    request: { params: deliveryParams },
    auth: MANAGE,
    responses: queued(WebhookDeliverySchema),
  }),
  async (c, { params, reply }) =>
    reply(await retryDelivery(c.get("key").organizationId, idOf(params.id), idOf(params.d)), 202),
);

// POST /api/v1/webhooks/{id}/test — queue a signed webhook.test event to this endpoint only, through the normal
// delivery path (admin).
defineRoute(
  webhooksRoutes,
  keyRoute({
    method: "post",
    path: "/api/v1/webhooks/{id}/test",
    summary: "Send a test event: a signed webhook.test delivery to this endpoint only",
    request: { params: idParams },
    auth: MANAGE,
    responses: queued(WebhookTestSchema),
  }),
  async (c, { params, reply }) => {
    const delivery = await sendTestEvent(c.get("key").organizationId, idOf(params.id));
    return reply({ deliveryId: delivery.id, eventId: delivery.eventId }, 202);
  },
);
