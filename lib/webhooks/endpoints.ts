// Webhook endpoints of an organization (administrators): create (the signing secret shown once), list, get, change,
// delete, the delivery log, redelivery by hand and "send test event". Shared by the server actions and the REST routes.
import { ApiError } from "../errors";
import { recordActorAudit } from "../audit";
import { db } from "../db";
import { env } from "../env";
import { recordEvent } from "../events/emit";
import { TEST_EVENT_TYPE, type EventType } from "../events/types";
import type { Prisma, WebhookAttempt, WebhookDelivery, WebhookEndpoint } from "../generated/prisma/client";
import { MAX_WEBHOOKS_PER_ORGANIZATION, type CreateWebhookData, type UpdateWebhookData } from "../validations/webhooks";
import { newWebhookSecret, sealWebhookSecret } from "./secret";
import { parseWebhookUrl, resolveTarget, WebhookTargetError, type Resolver } from "./ssrf";
import { authorizeInTx, type Actor } from "../orgs/actor";
import { advisoryLock } from "../advisory-locks";

// Who acts: an administrator of the organization (dashboard) or an admin-scope key of it (REST, userId null).
// Who manages endpoints: the entry point's Actor (asked again for webhooks.manage inside each write's transaction).
export type WebhookActor = Actor;
type Meta = { ip: string | null };

export type WebhookObject = ReturnType<typeof toWebhookObject>;

// The endpoint as the API and the dashboard show it: never its secret.
export function toWebhookObject(w: WebhookEndpoint) {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    // Written only through createWebhookSchema/updateWebhookSchema, which accept EVENT_TYPES alone.
    events: w.events as EventType[],
    enabled: w.enabled,
    failingSince: w.failingSince?.toISOString() ?? null,
    disabledAt: w.disabledAt?.toISOString() ?? null,
    disabledReason: w.disabledReason,
    createdAt: w.createdAt.toISOString(),
  };
}

export type DeliveryObject = ReturnType<typeof toDeliveryObject>;

// A delivery with its event's type and its attempt log, oldest attempt first.
export function toDeliveryObject(d: WebhookDelivery & { event: { type: string }; attemptLog: WebhookAttempt[] }) {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.event.type,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    attemptLog: [...d.attemptLog]
      .sort((a, b) => a.attempt - b.attempt)
      .map((a) => ({
        attempt: a.attempt,
        statusCode: a.statusCode,
        durationMs: a.durationMs,
        responseExcerpt: a.responseExcerpt,
        error: a.error,
        createdAt: a.createdAt.toISOString(),
      })),
  };
}

// Resolver override for tests of the URL check (the delivery worker takes its own).
const checks: { resolver?: Resolver } = {};
export function setWebhookResolver(resolver: Resolver | undefined): void {
  checks.resolver = resolver;
}

// Refuses a URL no delivery could go to (scheme, credentials, a private address literal or DNS answer), naming `url`.
// A host that does not resolve (yet) is accepted: its deliveries fail and are logged until it does.
export async function assertWebhookUrl(raw: string): Promise<string> {
  const allowPrivate = env().WEBHOOK_ALLOW_PRIVATE_NETWORKS;
  try {
    const url = parseWebhookUrl(raw, allowPrivate);
    await resolveTarget(url, { allowPrivate, resolver: checks.resolver }).catch((err: unknown) => {
      if (err instanceof WebhookTargetError && err.message.startsWith("Refused")) throw err;
    });
    return url.toString();
  } catch (err) {
    if (err instanceof WebhookTargetError)
      throw new ApiError(
        "invalid_request",
        err.message.replace(/^Refused: /, "must not point at a private address: "),
        "url",
      );
    throw err;
  }
}

async function findEndpoint(tx: Prisma.TransactionClient, organizationId: string, id: string) {
  const endpoint = await tx.webhookEndpoint.findFirst({ where: { id, organizationId } });
  if (!endpoint) throw new ApiError("not_found", "No webhook endpoint with this id");
  return endpoint;
}

// The organization's endpoints, oldest first.
export async function listWebhooks(organizationId: string): Promise<WebhookObject[]> {
  const rows = await db.webhookEndpoint.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" } });
  return rows.map(toWebhookObject);
}

// One endpoint; another organization's is not found.
export async function getWebhook(organizationId: string, id: string): Promise<WebhookObject> {
  return toWebhookObject(await findEndpoint(db, organizationId, id));
}

// Adds an endpoint (at most MAX_WEBHOOKS_PER_ORGANIZATION per organization); answers it with its signing secret, the
// only time the secret is shown.
export async function createWebhook(
  actor: WebhookActor,
  data: CreateWebhookData,
  meta: Meta,
): Promise<{ webhook: WebhookObject; secret: string }> {
  const url = await assertWebhookUrl(data.url);
  const secret = newWebhookSecret();
  const created = await db.$transaction(async (tx) => {
    await authorizeInTx(tx, actor, "webhooks.manage");
    // Concurrent creations for one organization take turns, so the count below cannot be passed by a race.
    await advisoryLock(tx, "webhookEndpoints", actor.organizationId);
    const count = await tx.webhookEndpoint.count({ where: { organizationId: actor.organizationId } });
    if (count >= MAX_WEBHOOKS_PER_ORGANIZATION)
      throw new ApiError(
        "invalid_request",
        `An organization can have at most ${MAX_WEBHOOKS_PER_ORGANIZATION} webhook endpoints: delete one before adding another`,
      );
    const row = await tx.webhookEndpoint.create({
      data: {
        organizationId: actor.organizationId,
        url,
        description: data.description ?? "",
        events: data.events,
        secretEnc: sealWebhookSecret(secret),
      },
    });
    await recordActorAudit(tx, actor, "webhook.created", meta.ip, {
      metadata: { webhookId: row.id, url, events: data.events },
    });
    return row;
  });
  return { webhook: toWebhookObject(created), secret };
}

// Changes an endpoint's URL, events, description or state; enabling clears a disabled endpoint's failure record.
export async function updateWebhook(
  actor: WebhookActor,
  id: string,
  data: UpdateWebhookData,
  meta: Meta,
): Promise<WebhookObject> {
  const url = data.url !== undefined ? await assertWebhookUrl(data.url) : undefined;
  const updated = await db.$transaction(async (tx) => {
    await authorizeInTx(tx, actor, "webhooks.manage");
    const current = await findEndpoint(tx, actor.organizationId, id);
    const row = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: {
        ...(url !== undefined ? { url } : {}),
        ...(data.events !== undefined ? { events: data.events } : {}),
        ...(data.description !== undefined ? { description: data.description } : {}),
        ...(data.enabled === true && !current.enabled
          ? { enabled: true, disabledAt: null, disabledReason: null, failingSince: null }
          : {}),
        ...(data.enabled === false && current.enabled
          ? { enabled: false, disabledAt: new Date(), disabledReason: null }
          : {}),
      },
    });
    await recordActorAudit(tx, actor, "webhook.updated", meta.ip, {
      metadata: {
        webhookId: id,
        ...(url !== undefined ? { url } : {}),
        ...(data.events !== undefined ? { events: data.events } : {}),
        ...(data.enabled !== undefined ? { enabled: data.enabled } : {}),
      },
    });
    return row;
  });
  return toWebhookObject(updated);
}

// Deletes an endpoint with its deliveries and their log.
export async function deleteWebhook(actor: WebhookActor, id: string, meta: Meta): Promise<void> {
  await db.$transaction(async (tx) => {
    await authorizeInTx(tx, actor, "webhooks.manage");
    const current = await findEndpoint(tx, actor.organizationId, id);
    await tx.webhookEndpoint.delete({ where: { id: current.id } });
    await recordActorAudit(tx, actor, "webhook.deleted", meta.ip, { metadata: { webhookId: id, url: current.url } });
  });
}

const DELIVERY_INCLUDE = { event: { select: { type: true } }, attemptLog: true } as const;

// An endpoint's deliveries, newest first, by keyset cursor.
export async function listDeliveries(
  organizationId: string,
  webhookId: string,
  opts: { cursor?: string; limit?: number } = {},
): Promise<{ data: DeliveryObject[]; nextCursor: string | null }> {
  await findEndpoint(db, organizationId, webhookId);
  const limit = opts.limit ?? 20;
  const cursor = opts.cursor
    ? await db.webhookDelivery.findFirst({ where: { id: opts.cursor, endpointId: webhookId }, select: { id: true } })
    : null;
  if (opts.cursor && !cursor) throw new ApiError("invalid_request", "Unknown cursor", "cursor");
  const rows = await db.webhookDelivery.findMany({
    where: { endpointId: webhookId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor.id }, skip: 1 } : {}),
    include: DELIVERY_INCLUDE,
  });
  const page = rows.slice(0, limit);
  return { data: page.map(toDeliveryObject), nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}

// Queues another attempt of a delivery now (a succeeded or failed one too); its log keeps the earlier attempts.
export async function retryDelivery(
  organizationId: string,
  webhookId: string,
  deliveryId: string,
): Promise<DeliveryObject> {
  const endpoint = await findEndpoint(db, organizationId, webhookId);
  if (!endpoint.enabled)
    throw new ApiError("conflict", "This endpoint is disabled: enable it before redelivering", undefined, "disabled");
  const now = new Date();
  // A delivery a worker holds right now is being attempted: left alone, so the message is not sent twice at once.
  await db.webhookDelivery.updateMany({
    where: { id: deliveryId, endpointId: webhookId, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
    data: { status: "pending", nextAttemptAt: now, lockedUntil: null },
  });
  const delivery = await db.webhookDelivery.findFirst({
    where: { id: deliveryId, endpointId: webhookId },
    include: DELIVERY_INCLUDE,
  });
  if (!delivery) throw new ApiError("not_found", "No delivery with this id for this endpoint");
  return toDeliveryObject(delivery);
}

// Queues a `webhook.test` event to this endpoint only (whatever events it subscribes to); answers the delivery.
export async function sendTestEvent(organizationId: string, webhookId: string): Promise<DeliveryObject> {
  const endpoint = await findEndpoint(db, organizationId, webhookId);
  if (!endpoint.enabled)
    throw new ApiError(
      "conflict",
      "This endpoint is disabled: enable it before sending a test event",
      undefined,
      "disabled",
    );
  const eventId = await db.$transaction((tx) =>
    recordEvent(
      tx,
      { organizationId, type: TEST_EVENT_TYPE, data: { webhookId, message: "A test event from Keyhold" } },
      { endpointIds: [webhookId] },
    ),
  );
  return toDeliveryObject(
    await db.webhookDelivery.findFirstOrThrow({
      where: { eventId: eventId!, endpointId: webhookId },
      include: DELIVERY_INCLUDE,
    }),
  );
}

// How many of the organization's endpoints Keyhold disabled after 5 days of failures (the dashboard's notice to admins).
export function countAutoDisabledWebhooks(organizationId: string): Promise<number> {
  return db.webhookEndpoint.count({ where: { organizationId, enabled: false, disabledReason: { not: null } } });
}
