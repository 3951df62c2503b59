// The event outbox: records an organization's events in the transaction of the change they describe and queues their
// webhook deliveries there too, so an event is never lost, nor sent for a change that was rolled back.
import type { Prisma } from "@/lib/generated/prisma/client";
import { randomBase62 } from "../random";

import type { EventOf } from "./payloads";
import type { EventType } from "./types";

export { EVENT_TYPES, type EventType } from "./types";

// An event to record: the organization, its type with that type's data (lib/events/payloads.ts), and an optional
// dedupeKey.
export type EventInput<T extends EventType | "webhook.test" = EventType> = EventOf<T> & {
  organizationId: string;
  dedupeKey?: string;
};

// A new event's id (also the Standard Webhooks `webhook-id`, the same on every retry so receivers can deduplicate).
export function newEventId(): string {
  return `evt_${randomBase62(24)}`;
}

// Records an event in the outbox inside the caller's transaction (so it is never lost or sent for a rolled-back
// change) and queues one delivery per enabled endpoint of the organization subscribed to its type. `dedupeKey`: the
// same (organization, dedupeKey) is recorded once (scheduled scans running on several instances). Never put a secret
// in `data`.
export async function emitEvent(tx: Prisma.TransactionClient, event: EventInput): Promise<void> {
  await recordEvent(tx, event);
}

// emitEvent's work, answering the event's id (null: its dedupeKey was recorded already); `at` for scans with a clock.
export async function recordEvent(
  tx: Prisma.TransactionClient,
  event: EventInput<EventType | "webhook.test">,
  opts: { at?: Date; endpointIds?: string[] } = {},
): Promise<string | null> {
  const id = newEventId();
  const createdAt = opts.at ?? new Date();
  // ON CONFLICT DO NOTHING: a duplicate must not abort the caller's transaction, as a unique violation would.
  const { count } = await tx.event.createMany({
    data: [
      {
        id,
        organizationId: event.organizationId,
        type: event.type,
        data: event.data as Prisma.InputJsonValue,
        dedupeKey: event.dedupeKey ?? null,
        createdAt,
      },
    ],
    skipDuplicates: true,
  });
  if (count === 0) return null;
  const endpoints = await tx.webhookEndpoint.findMany({
    where: {
      organizationId: event.organizationId,
      enabled: true,
      ...(opts.endpointIds ? { id: { in: opts.endpointIds } } : { events: { has: event.type } }),
    },
    select: { id: true },
  });
  if (endpoints.length > 0)
    await tx.webhookDelivery.createMany({
      data: endpoints.map((e) => ({ eventId: id, endpointId: e.id, nextAttemptAt: createdAt })),
    });
  return id;
}
