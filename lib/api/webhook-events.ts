// The OpenAPI document's `webhooks` section: one entry per event type an endpoint can be sent, its body the delivered
// `{type, timestamp, data}` with that type's data schema (lib/events/payloads.ts), signed with Standard Webhooks headers.
import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { EVENT_LABELS } from "../events/describe";
import { WEBHOOK_EVENT_TYPES, webhookEventSchema } from "../events/payloads";
import { TEST_EVENT_TYPE } from "../events/types";
import { jsonBody } from "./route-declarations";

const signatureHeaders = z.object({
  "webhook-id": z.string().meta({ description: "The event's id (evt_…): the same on every retry, to deduplicate" }),
  "webhook-timestamp": z.string().meta({ description: "Unix time (seconds) the attempt was signed" }),
  "webhook-signature": z.string().meta({
    description: "v1,<base64 HMAC-SHA256 of `id.timestamp.body`> with the endpoint's whsec_ secret (Standard Webhooks)",
  }),
});

// Declares every event type's delivery in `registry`.
export function registerWebhookEvents(registry: OpenAPIHono["openAPIRegistry"]): void {
  for (const type of WEBHOOK_EVENT_TYPES)
    registry.registerWebhook({
      method: "post",
      path: type,
      summary: type === TEST_EVENT_TYPE ? "Send test event (to the one endpoint asked for)" : EVENT_LABELS[type],
      tags: ["Webhook events"],
      request: {
        headers: signatureHeaders,
        body: { required: true, content: jsonBody(webhookEventSchema(type)) },
      },
      responses: {
        200: { description: "Any 2xx answer acknowledges the delivery; anything else is retried on the schedule" },
      },
    });
}
