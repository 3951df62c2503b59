// The delivery queue: claims due deliveries and makes one attempt each, logs it, and schedules the next (5 s, 30 s,
// 2 min, 15 min, 1 h, 6 h, 24 h) or gives up. Claims are taken one statement at a time across all processes (an
// advisory lock), at most one in flight per endpoint and a few per organization, the organizations with the fewest
// in flight first: one organization's hanging receiver holds one slot, never the queue. An endpoint failing
// continuously for 5 days is disabled, with a `webhook.disabled` event and a mail to its organization's admins.
import { db } from "../db";
import { env } from "../env";
import { recordEvent } from "../events/emit";
import { WEBHOOK_DISABLE_AFTER_DAYS } from "../events/types";
import { Prisma } from "../generated/prisma/client";
import { publicUrl } from "../link-tokens";
import { mailEnabled, sendMail } from "../mail";
import { toWebhookObject, type WebhookObject } from "./endpoints";
import { sendAttempt, type AttemptResult } from "./send";
import { openWebhookSecret } from "./secret";
import { parseWebhookUrl, resolveTarget, WebhookTargetError, type Resolver } from "./ssrf";
import { advisoryLock } from "../advisory-locks";

const SECOND = 1000;
// Delay before attempt n + 1 after attempt n failed; past the last, the delivery has failed.
export const RETRY_DELAYS_MS = [5, 30, 120, 900, 3600, 6 * 3600, 24 * 3600].map((s) => s * SECOND);
export const DISABLE_AFTER_MS = WEBHOOK_DISABLE_AFTER_DAYS * 24 * 3600 * SECOND;
// How long a claim holds a delivery: longer than an attempt can take (10 s), so only a crashed worker's claim lapses.
export const CLAIM_MS = 2 * 60 * SECOND;
export const DISABLED_REASON = `Every delivery failed for ${WEBHOOK_DISABLE_AFTER_DAYS} days`;
// Attempts one process makes at once.
export const DELIVERY_CONCURRENCY = 16;
// Attempts in flight for one organization, across every process: a few endpoints that never answer leave the other
// slots to the other organizations.
export const ORGANIZATION_IN_FLIGHT = 4;

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

export type Claim = { id: string; attempts: number };

// Claims up to `limit` due deliveries for CLAIM_MS: the oldest due one of each endpoint that has none in flight, taking
// turns between organizations (fewest in flight first, at most `perOrganization` each); answers their ids and attempt
// counts at claim time.
export async function claimDueDeliveries(
  now: Date,
  limit: number,
  perOrganization = ORGANIZATION_IN_FLIGHT,
): Promise<Claim[]> {
  const at = utc(now);
  return db.$transaction(async (tx) => {
    await advisoryLock(tx, "webhookClaims");
    return tx.$queryRaw<Claim[]>`
      WITH "busy" AS (
        SELECT d."endpointId", e."organizationId"
        FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
        WHERE d."status" = 'pending' AND d."lockedUntil" > ${at}::timestamp(3)
      ), "heads" AS (
        SELECT DISTINCT ON (d."endpointId") d."id", e."organizationId", d."nextAttemptAt"
        FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
        WHERE d."status" = 'pending' AND d."nextAttemptAt" <= ${at}::timestamp(3)
          AND (d."lockedUntil" IS NULL OR d."lockedUntil" <= ${at}::timestamp(3))
          AND NOT EXISTS (SELECT 1 FROM "busy" b WHERE b."endpointId" = d."endpointId")
        ORDER BY d."endpointId", d."nextAttemptAt", d."id"
      ), "turns" AS (
        SELECT h."id", h."nextAttemptAt",
          ROW_NUMBER() OVER (PARTITION BY h."organizationId" ORDER BY h."nextAttemptAt", h."id")
            + (SELECT count(*) FROM "busy" b WHERE b."organizationId" = h."organizationId") AS "turn"
        FROM "heads" h
      )
      UPDATE "WebhookDelivery" SET "lockedUntil" = ${utc(new Date(now.getTime() + CLAIM_MS))}::timestamp(3)
      WHERE "id" IN (
        SELECT "id" FROM "turns" WHERE "turn" <= ${perOrganization}::int
        ORDER BY "turn", "nextAttemptAt", "id" LIMIT ${limit}::int
      )
      RETURNING "id", "attempts"`;
  });
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
    // secret changed) is logged here and counts as a failed attempt, so the schedule and the 5-day rule still apply.
    if (!(err instanceof WebhookTargetError))
      console.error(`webhook delivery ${claim.id}:`, err instanceof Error ? err.message : err);
    const error = err instanceof WebhookTargetError ? err.message : "Keyhold could not sign or send this delivery";
    result = { ok: false, statusCode: null, durationMs: 0, responseExcerpt: null, error };
  }
  const disabled = await recordAttempt(delivery, claim.attempts + 1, result, now);
  if (disabled) await mailDisabledWebhook(endpoint.organizationId, disabled);
  return result;
}

// Records an attempt; answers the endpoint when this failure disabled it.
async function recordAttempt(
  delivery: { id: string; endpointId: string; attempts: number; endpoint: { organizationId: string } },
  attempt: number,
  result: AttemptResult,
  now: Date,
): Promise<WebhookObject | null> {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  const status = result.ok ? "succeeded" : delay === undefined ? "failed" : "pending";
  return db.$transaction(async (tx) => {
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
    if (count === 0) return null;
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
      return null;
    }
    await tx.webhookEndpoint.updateMany({
      where: { id: delivery.endpointId, failingSince: null },
      data: { failingSince: now },
    });
    const disabled = await tx.webhookEndpoint.updateMany({
      where: {
        id: delivery.endpointId,
        enabled: true,
        failingSince: { lte: new Date(now.getTime() - DISABLE_AFTER_MS) },
      },
      data: { enabled: false, disabledAt: now, disabledReason: DISABLED_REASON },
    });
    if (disabled.count === 0) return null;
    // The organization hears of it in the notification bell and on its other endpoints (this one no longer receives).
    const webhook = toWebhookObject(await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: delivery.endpointId } }));
    await recordEvent(
      tx,
      { organizationId: delivery.endpoint.organizationId, type: "webhook.disabled", data: { webhook } },
      { at: now },
    );
    return webhook;
  });
}

// Tells the organization's owners and admins by mail (when SMTP is set) that Keyhold disabled an endpoint.
async function mailDisabledWebhook(organizationId: string, webhook: WebhookObject): Promise<void> {
  if (!mailEnabled()) return;
  const org = await db.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: {
      name: true,
      slug: true,
      memberships: { where: { role: { in: ["owner", "admin"] } }, select: { user: { select: { email: true } } } },
    },
  });
  const link = publicUrl(`/dashboard/${org.slug}/webhooks`);
  for (const { user } of org.memberships)
    sendMail({
      to: user.email,
      subject: `Keyhold disabled a webhook endpoint of ${org.name}`,
      text:
        `Every delivery to ${webhook.url} failed for ${WEBHOOK_DISABLE_AFTER_DAYS} days (since ${webhook.failingSince}), ` +
        `so Keyhold disabled the endpoint: no more events are sent to it.\n\n` +
        `Fix the receiver, then enable the endpoint again on the Webhooks page:\n${link}\n`,
    });
}

// Attempts claimed deliveries with at most `concurrency` in flight in this process, claiming more as soon as one ends.
export function createDeliveryPool(opts: DeliveryOptions & { concurrency?: number; perOrganization?: number } = {}) {
  const now = opts.now ?? (() => new Date());
  const concurrency = opts.concurrency ?? DELIVERY_CONCURRENCY;
  const inFlight = new Set<Promise<void>>();
  let claiming: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let attempted = 0;

  const report = (what: string) => (err: unknown) =>
    console.error(`${what}:`, err instanceof Error ? err.message : err);

  const start = (claim: Claim) => {
    attempted++;
    // A failing delivery (the database gone mid-write) is logged; its claim lapses and another attempt follows.
    const attempt: Promise<void> = attemptDelivery(claim, opts)
      .then(() => undefined, report("webhook delivery failed"))
      .finally(() => {
        inFlight.delete(attempt);
        void fill();
      });
    inFlight.add(attempt);
  };

  // Claims while slots are free and deliveries are due; a call while a claim runs makes it look once more, so an
  // attempt that ends meanwhile still gets its slot refilled.
  const fill = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    again = true;
    claiming ??= claimWhileFree().finally(() => {
      claiming = null;
      if (again) void fill();
    });
    return claiming;
  };
  const claimWhileFree = async () => {
    try {
      while (again && !stopped) {
        again = false;
        while (!stopped && inFlight.size < concurrency) {
          const want = concurrency - inFlight.size;
          const claims = await claimDueDeliveries(now(), want, opts.perOrganization);
          for (const claim of claims) start(claim);
          if (claims.length < want) break;
        }
      }
    } catch (err) {
      // The database is unreachable: the next poll (or the next attempt to end) tries again.
      again = false;
      report("webhook claim failed")(err);
    }
  };

  // Resolves once nothing is in flight and the last look found nothing to claim.
  const settle = async () => {
    while (claiming || inFlight.size > 0) await Promise.race(claiming ? [claiming, ...inFlight] : [...inFlight]);
  };

  return {
    fill,
    settle,
    // How many deliveries this pool has claimed.
    attempted: () => attempted,
    // Claims no more; resolves once the attempts in flight have ended.
    async stop(): Promise<void> {
      stopped = true;
      await settle();
    },
  };
}

// Claims and attempts the due deliveries, `batchSize` at a time, until none can be claimed; answers how many were
// attempted.
export async function runDueDeliveries(opts: DeliveryOptions & { batchSize?: number } = {}): Promise<number> {
  const pool = createDeliveryPool({ ...opts, concurrency: opts.batchSize ?? 10 });
  await pool.fill();
  await pool.settle();
  return pool.attempted();
}
