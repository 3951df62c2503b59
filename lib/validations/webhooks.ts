// Webhook endpoint input schemas, shared by the webhooks page's forms, the server actions and the REST routes. Whether
// the URL's host may be reached (https, public addresses) is checked by lib/webhooks/endpoints, which knows the
// environment and resolves the host.
import { z } from "zod";
import { EVENT_TYPES } from "../events/types";
import { chosenIdSchema, safeText, singleLineText } from "./text";

export const webhookUrlSchema = z
  .string({ error: "URL is required" })
  .trim()
  .min(1, "URL is required")
  .max(2048, "URL must be at most 2048 characters")
  .check(safeText("URL"))
  .meta({
    description:
      "https only; refused when the host is or resolves to a loopback, private, link-local or metadata address (unless the server sets WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, which also allows http)",
  });

// A form posts one checked box as a string and several as a list.
export const webhookEventsSchema = z.preprocess(
  (v) => (typeof v === "string" ? [v] : v),
  z
    .array(z.enum(EVENT_TYPES, { error: `Unknown event: use ${EVENT_TYPES.join(", ")}` }), {
      error: "Events must be a list of event types",
    })
    .min(1, "Choose at least one event")
    .transform((list) => [...new Set(list)]),
);

export const webhookDescriptionSchema = z
  .string()
  .trim()
  .max(200, "Description must be at most 200 characters")
  .check(singleLineText("Description"));

// Endpoints one organization may have: each holds a delivery slot while its receiver is slow, so their number is bounded.
export const MAX_WEBHOOKS_PER_ORGANIZATION = 20;

// A new endpoint: where, which events, and a note for the team.
export const createWebhookSchema = z.object({
  url: webhookUrlSchema,
  events: webhookEventsSchema,
  description: webhookDescriptionSchema.optional(),
});
export type CreateWebhookData = z.output<typeof createWebhookSchema>;

// A change to an endpoint; enabling a disabled one clears its failure record.
export const updateWebhookSchema = z
  .object({
    url: webhookUrlSchema.optional(),
    events: webhookEventsSchema.optional(),
    description: webhookDescriptionSchema.optional(),
    enabled: z.boolean({ error: "Enabled must be true or false" }).optional(),
  })
  .refine(
    (v) => Object.values(v).some((x) => x !== undefined),
    "Send at least one of url, events, description, enabled",
  );
export type UpdateWebhookData = z.output<typeof updateWebhookSchema>;

// An endpoint by id (dashboard actions: delete, enable, test).
export const webhookInputSchema = z.object({ id: chosenIdSchema("an endpoint") });
// Enabling or disabling an endpoint from the dashboard (a form posts "true"/"false").
export const setWebhookEnabledSchema = webhookInputSchema.extend({
  enabled: z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean()),
});
// The dashboard's edit form: an endpoint's URL, description and events.
export const editWebhookSchema = webhookInputSchema.extend({
  url: webhookUrlSchema,
  events: webhookEventsSchema,
  description: webhookDescriptionSchema.optional(),
});
// A delivery of an endpoint (redeliver).
export const deliveryInputSchema = webhookInputSchema.extend({ deliveryId: chosenIdSchema("a delivery") });

// Pages of the delivery log.
export const listDeliveriesQuerySchema = z.object({
  cursor: z.string().max(64).check(safeText("cursor")).optional(),
  limit: z.coerce.number({ error: "limit must be a number" }).int().min(1).max(100).optional(),
});
