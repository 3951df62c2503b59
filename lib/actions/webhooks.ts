"use server";
// Webhook endpoint server actions (admins and owners): defineAction authorizes the member and validates; lib/webhooks
// checks the URL, writes and audits; then the webhooks pages are revalidated.
import { revalidatePath } from "next/cache";
import type { OrgMember } from "../orgs/organizations";
import { createWebhook, deleteWebhook, retryDelivery, sendTestEvent, updateWebhook } from "../webhooks/endpoints";
import {
  createWebhookSchema,
  deliveryInputSchema,
  editWebhookSchema,
  setWebhookEnabledSchema,
  webhookInputSchema,
} from "../validations/webhooks";
import { defineAction } from "./define-action";

const WEBHOOKS = { capability: "webhooks.manage" } as const;

function revalidateWebhooks(member: OrgMember) {
  revalidatePath(`/dashboard/${member.organization.slug}/webhooks`, "layout");
}

// Adds an endpoint; the result carries its signing secret, the only time it is shown.
export const createWebhookAction = defineAction(
  { schema: createWebhookSchema, auth: WEBHOOKS },
  async (input, { member, actor, ip }) => {
    const created = await createWebhook(actor, input, { ip });
    revalidateWebhooks(member);
    return created;
  },
);

// Changes an endpoint's URL, description and events (the URL checked as at creation).
export const editWebhookAction = defineAction(
  { schema: editWebhookSchema, auth: WEBHOOKS },
  async ({ id, ...changes }, { member, actor, ip }) => {
    const webhook = await updateWebhook(actor, id, changes, { ip });
    revalidateWebhooks(member);
    return webhook;
  },
);

// Enables (clearing a 5-day failure record) or disables an endpoint.
export const setWebhookEnabledAction = defineAction(
  { schema: setWebhookEnabledSchema, auth: WEBHOOKS },
  async ({ id, enabled }, { member, actor, ip }) => {
    const webhook = await updateWebhook(actor, id, { enabled }, { ip });
    revalidateWebhooks(member);
    return webhook;
  },
);

// Deletes an endpoint and its delivery log.
export const deleteWebhookAction = defineAction(
  { schema: webhookInputSchema, auth: WEBHOOKS },
  async ({ id }, { member, actor, ip }) => {
    await deleteWebhook(actor, id, { ip });
    revalidateWebhooks(member);
  },
);

// Queues a webhook.test event to this endpoint only.
export const sendTestEventAction = defineAction(
  { schema: webhookInputSchema, auth: WEBHOOKS },
  async ({ id }, { member }) => {
    const delivery = await sendTestEvent(member.organization.id, id);
    revalidateWebhooks(member);
    return delivery;
  },
);

// Queues another attempt of a delivery now.
export const redeliverAction = defineAction(
  { schema: deliveryInputSchema, auth: WEBHOOKS },
  async ({ id, deliveryId }, { member }) => {
    const delivery = await retryDelivery(member.organization.id, id, deliveryId);
    revalidateWebhooks(member);
    return delivery;
  },
);
