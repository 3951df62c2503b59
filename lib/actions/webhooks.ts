"use server";
// Webhook endpoint server actions (admins and owners): defineAction authorizes the member and validates; lib/webhooks
// checks the URL, writes and audits; then the webhooks pages are revalidated.
import { revalidatePath } from "next/cache";
import type { OrgMember } from "../orgs/organizations";
import {
  createWebhook,
  deleteWebhook,
  retryDelivery,
  sendTestEvent,
  updateWebhook,
  type WebhookActor,
} from "../webhooks/endpoints";
import {
  createWebhookSchema,
  deliveryInputSchema,
  editWebhookSchema,
  setWebhookEnabledSchema,
  webhookInputSchema,
} from "../validations/webhooks";
import { defineAction } from "./define-action";

const ADMIN = { role: "admin" } as const;

function actorOf(member: OrgMember): WebhookActor {
  return { organizationId: member.organization.id, userId: member.userId };
}

function revalidateWebhooks(member: OrgMember) {
  revalidatePath(`/dashboard/${member.organization.slug}/webhooks`, "layout");
}

// Adds an endpoint; the result carries its signing secret, the only time it is shown.
export const createWebhookAction = defineAction(
  { schema: createWebhookSchema, auth: ADMIN },
  async (input, { member, ip }) => {
    const created = await createWebhook(actorOf(member), input, { ip });
    revalidateWebhooks(member);
    return created;
  },
);

// Changes an endpoint's URL, description and events (the URL checked as at creation).
export const editWebhookAction = defineAction(
  { schema: editWebhookSchema, auth: ADMIN },
  async ({ id, ...changes }, { member, ip }) => {
    const webhook = await updateWebhook(actorOf(member), id, changes, { ip });
    revalidateWebhooks(member);
    return webhook;
  },
);

// Enables (clearing a 5-day failure record) or disables an endpoint.
export const setWebhookEnabledAction = defineAction(
  { schema: setWebhookEnabledSchema, auth: ADMIN },
  async ({ id, enabled }, { member, ip }) => {
    const webhook = await updateWebhook(actorOf(member), id, { enabled }, { ip });
    revalidateWebhooks(member);
    return webhook;
  },
);

// Deletes an endpoint and its delivery log.
export const deleteWebhookAction = defineAction(
  { schema: webhookInputSchema, auth: ADMIN },
  async ({ id }, { member, ip }) => {
    await deleteWebhook(actorOf(member), id, { ip });
    revalidateWebhooks(member);
  },
);

// Queues a webhook.test event to this endpoint only.
export const sendTestEventAction = defineAction(
  { schema: webhookInputSchema, auth: ADMIN },
  async ({ id }, { member }) => {
    const delivery = await sendTestEvent(member.organization.id, id);
    revalidateWebhooks(member);
    return delivery;
  },
);

// Queues another attempt of a delivery now.
export const redeliverAction = defineAction(
  { schema: deliveryInputSchema, auth: ADMIN },
  async ({ id, deliveryId }, { member }) => {
    const delivery = await retryDelivery(member.organization.id, id, deliveryId);
    revalidateWebhooks(member);
    return delivery;
  },
);
