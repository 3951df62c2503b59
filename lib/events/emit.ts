// PLACEHOLDER in the h-leaks branch: the webhooks branch (h-hooks) provides the real outbox; at merge its file replaces
// this one. Same exports and signature as the event contract, so callers compile and run unchanged.
import type { Prisma } from "@/lib/generated/prisma/client";

export const EVENT_TYPES = [
  "key.created",
  "key.updated",
  "key.rotated",
  "key.revoked",
  "key.expiring",
  "key.expired",
  "key.leaked",
  "key_request.created",
  "key_request.approved",
  "key_request.denied",
  "member.invited",
  "member.joined",
  "member.removed",
  "credits.low",
  "ratelimit.exceeded",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

// Records an event in the outbox inside the caller's transaction (so it is never lost or sent for a rolled-back
// change) and queues one delivery per enabled endpoint of the organization subscribed to its type. `dedupeKey`: the
// same (organization, dedupeKey) is recorded once (scheduled scans running on several instances). Never put a secret
// in `data`. This placeholder records nothing.
export async function emitEvent(
  tx: Prisma.TransactionClient,
  event: { organizationId: string; type: EventType; data: Record<string, unknown>; dedupeKey?: string },
): Promise<void> {
  void tx;
  void event;
}
