// The delivery queue: claims due deliveries (FOR UPDATE SKIP LOCKED, so two processes never take the same one), makes
// one attempt each, logs it, and schedules the next (5 s, 30 s, 2 min, 15 min, 1 h, 6 h, 24 h) or gives up. An
// endpoint failing continuously for 3 days is disabled.
import { db } from "../db";
import { env } from "../env";
import { Prisma } from "../generated/prisma/client";
import { sendAttempt, type AttemptResult } from "./send";
import { openWebhookSecret } from "./secret";
import { parseWebhookUrl, resolveTarget, WebhookTargetError, type Resolver } from "./ssrf";

const SECOND = 1000;
// Delay before attempt n + 1 after attempt n failed; past the last, the delivery has failed.
export const RETRY_DELAYS_MS = [5, 30, 120, 900, 3600, 6 * 3600, 24 * 3600].map((s) => s * SECOND);
export const DISABLE_AFTER_MS = 3 * 24 * 3600 * SECOND;
// How long a claim holds a delivery: longer than an attempt can take (10 s), so only a crashed worker's claim lapses.
export const CLAIM_MS = 2 * 60 * SECOND;
export const DISABLED_REASON = "Every delivery failed for 3 days";

export type DeliveryOptions = {
  now?: () => Date;
  allowPrivateNetworks?: boolean;
  resolver?: Resolver;
  timeoutMs?: number;
};

// The wire payload of an event.
export function eventPayload(event: { type: string; createdAt: Date; data: Prisma.JsonValue }): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
}

// A timestamp(3) parameter: the columns hold UTC wall-clock times without a zone, so the value is sent as such text.
const utc = (d: Date) => d.toISOString().slice(0, 23).replace("T", " ");

// Claims up to `limit` due deliveries for CLAIM_MS; answers their ids and attempt counts at claim time.
export async function claimDueDeliveries(now: Date, limit: number): Promise<{ id: string; attempts: number }[]> {
  return db.$queryRaw<{ id: string; attempts: number }[]>`
    UPDATE "WebhookDelivery" SET "lockedUntil" = ${utc(new Date(now.getTime() + CLAIM_MS))}::timestamp(3)
    WHERE "id" IN (
      SELECT "id" FROM "WebhookDelivery"
      WHERE "status" = 'pending' AND "nextAttemptAt" <= ${utc(now)}::timestamp(3)
        AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${utc(now)}::timestamp(3))
      ORDER BY "nextAttemptAt" LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id", "attempts"`;
}

// Makes the next attempt of a claimed delivery and records it; the write is conditional on the attempt count seen at
// claim time, so a lapsed claim taken over elsewhere cannot be recorded twice.
export async function attemptDelivery(
  claim: { id: string; attempts: number },
  opts: DeliveryOptions = {},
): Promise<AttemptResult | null> {
  const now = (opts.now ?? (() => new Date()))();
  const delivery = await db.webhookDelivery.findUnique({
    where: { id: claim.id },
    include: { event: true, endpoint: true },
  });
  if (!delivery || delivery.attempts !== claim.attempts) return null;
  const { endpoint, event } = delivery;
  if (!endpoint.enabled) {
    await db.webhookDelivery.updateMany({
      where: { id: claim.id, attempts: claim.attempts },
      data: { status: "failed", nextAttemptAt: null, lockedUntil: null, lastError: "Endpoint disabled" },
    });
    return null;
  }
  const allowPrivate = opts.allowPrivateNetworks ?? env().WEBHOOK_ALLOW_PRIVATE_NETWORKS;
  let result: AttemptResult;
  try {
    const url = parseWebhookUrl(endpoint.url, allowPrivate);
    const target = await resolveTarget(url, { allowPrivate, resolver: opts.resolver });
    result = await sendAttempt(
      url,
      target,
      openWebhookSecret(endpoint.secretEnc),
      { id: event.id, timestamp: now, body: eventPayload(event) },
      { timeoutMs: opts.timeoutMs },
    );
  } catch (err) {
    // A refused target is the administrator's to fix; anything else (a secret that no longer decrypts after the auth
    // secret changed) is logged here and counts as a failed attempt, so the schedule and the 3-day rule still apply.
    if (!(err instanceof WebhookTargetError))
      console.error(`webhook delivery ${claim.id}:`, err instanceof Error ? err.message : err);
    const error = err instanceof WebhookTargetError ? err.message : "Keyhold could not sign or send this delivery";
    result = { ok: false, statusCode: null, durationMs: 0, responseExcerpt: null, error };
  }
  await recordAttempt(delivery, claim.attempts + 1, result, now);
  return result;
}

async function recordAttempt(
  delivery: { id: string; endpointId: string; attempts: number },
  attempt: number,
  result: AttemptResult,
  now: Date,
): Promise<void> {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  const status = result.ok ? "succeeded" : delay === undefined ? "failed" : "pending";
  await db.$transaction(async (tx) => {
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, attempts: delivery.attempts },
      data: {
        attempts: attempt,
        status,
        nextAttemptAt: status === "pending" ? new Date(now.getTime() + delay!) : null,
        lockedUntil: null,
        lastStatus: result.statusCode,
        lastError: result.error,
      },
    });
    if (count === 0) return;
    await tx.webhookAttempt.create({
      data: {
        deliveryId: delivery.id,
        attempt,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        responseExcerpt: result.responseExcerpt,
        error: result.error,
        createdAt: now,
      },
    });
    if (result.ok) {
      await tx.webhookEndpoint.updateMany({
        where: { id: delivery.endpointId, failingSince: { not: null } },
        data: { failingSince: null },
      });
      return;
    }
    await tx.webhookEndpoint.updateMany({
      where: { id: delivery.endpointId, failingSince: null },
      data: { failingSince: now },
    });
    await tx.webhookEndpoint.updateMany({
      where: {
        id: delivery.endpointId,
        enabled: true,
        failingSince: { lte: new Date(now.getTime() - DISABLE_AFTER_MS) },
      },
      data: { enabled: false, disabledAt: now, disabledReason: DISABLED_REASON },
    });
  });
}

// Claims and attempts the due deliveries, a batch at a time, until none is due; answers how many were attempted.
export async function runDueDeliveries(opts: DeliveryOptions & { batchSize?: number } = {}): Promise<number> {
  const now = opts.now ?? (() => new Date());
  let total = 0;
  for (;;) {
    const claims = await claimDueDeliveries(now(), opts.batchSize ?? 10);
    if (claims.length === 0) return total;
    // One failing delivery (the database gone mid-write) must not hide the others' outcomes; its claim lapses.
    for (const outcome of await Promise.allSettled(claims.map((c) => attemptDelivery(c, opts))))
      if (outcome.status === "rejected")
        console.error(
          "webhook delivery failed:",
          outcome.reason instanceof Error ? outcome.reason.message : outcome.reason,
        );
    total += claims.length;
  }
}
