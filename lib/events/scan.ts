// The scheduled scan (every minute, in the event worker): key.expiring (7 days and 1 day ahead), key.expired and
// credits.low (20 % and 0 % of the refill amount, else of the credits last set). Every event carries a dedupeKey, so
// instances scanning at the same time record each once.
import { db } from "../db";
import { effectiveRemaining, periodStart } from "../keys/credit-refill";
import { toKeyObject } from "../keys/record";
import { recordEvent, type EventInput } from "./emit";
import { mailKeyExpiry, mailRequestDigests, mailSafely } from "./mail";

const DAY_MS = 24 * 60 * 60 * 1000;
// An expiry older than this is not announced (a first scan of an old database does not replay history).
const EXPIRED_LOOKBACK_MS = 7 * DAY_MS;
// Events (with their deliveries and attempt logs) are kept this long; the audit log keeps the record of changes.
export const EVENT_RETENTION_DAYS = 90;

type Candidate = EventInput & {
  dedupeKey: string;
  // Run once the event is recorded by this instance (so by no other): the mail announcing it.
  announce?: () => Promise<void>;
};

// Records the candidates not recorded yet: one query finds those already there (every minute most are), then each new
// one goes in its own transaction (ON CONFLICT DO NOTHING settles a race with another instance).
async function recordNew(candidates: Candidate[], now: Date): Promise<number> {
  let recorded = 0;
  for (let i = 0; i < candidates.length; i += 500) {
    const chunk = candidates.slice(i, i + 500);
    const existing = await db.event.findMany({
      where: { dedupeKey: { in: chunk.map((c) => c.dedupeKey) } },
      select: { organizationId: true, dedupeKey: true },
    });
    const seen = new Set(existing.map((e) => `${e.organizationId} ${e.dedupeKey}`));
    for (const c of chunk) {
      if (seen.has(`${c.organizationId} ${c.dedupeKey}`)) continue;
      const { announce, ...event } = c;
      const id = await db.$transaction((tx) => recordEvent(tx, event, { at: now }));
      if (id === null) continue;
      recorded++;
      if (announce) await mailSafely(announce);
    }
  }
  return recorded;
}

// Runs the scan at `now`; answers how many events it recorded (0 when another instance got there first).
export async function runScheduledScan(now = new Date()): Promise<number> {
  const candidates: Candidate[] = [];
  const t = now.getTime();
  const expiring = await db.apiKey.findMany({
    where: { revokedAt: null, expiresAt: { gt: new Date(t - EXPIRED_LOOKBACK_MS), lte: new Date(t + 7 * DAY_MS) } },
  });
  for (const key of expiring) {
    const expiresAt = key.expiresAt!;
    const left = expiresAt.getTime() - t;
    const base = { organizationId: key.organizationId };
    const object = toKeyObject(key);
    if (left <= 0) {
      candidates.push({
        ...base,
        type: "key.expired",
        data: { key: object },
        dedupeKey: `key.expired:${key.id}:${expiresAt.getTime()}`,
        announce: () => mailKeyExpiry(key.organizationId, object, "expired", now),
      });
      continue;
    }
    const daysAhead = left <= DAY_MS ? 1 : 7;
    candidates.push({
      ...base,
      type: "key.expiring",
      data: { key: object, daysAhead },
      dedupeKey: `key.expiring:${key.id}:${daysAhead}d:${expiresAt.getTime()}`,
      announce: () => mailKeyExpiry(key.organizationId, object, daysAhead === 1 ? "1d" : "7d", now),
    });
  }
  const metered = await db.apiKey.findMany({
    where: { revokedAt: null, creditsRemaining: { not: null }, creditsBase: { gt: 0 } },
  });
  for (const key of metered) {
    const remaining = effectiveRemaining(key, t);
    const base = key.creditsBase!;
    if (remaining === null || remaining * 5 > base) continue;
    const percent = remaining === 0 ? 0 : 20;
    // One warning per threshold per refill period (or per setting of the credits, for keys without a refill).
    const period = key.creditsRefillInterval
      ? periodStart(key.creditsRefillInterval, t).toISOString()
      : key.updatedAt.toISOString();
    candidates.push({
      organizationId: key.organizationId,
      type: "credits.low",
      data: { key: toKeyObject(key), remaining, threshold: percent, base },
      dedupeKey: `credits.low:${key.id}:${percent}:${period}`,
    });
  }
  const recorded = await recordNew(candidates, now);
  await mailSafely(() => mailRequestDigests(now));
  return recorded;
}

// Deletes events older than EVENT_RETENTION_DAYS, with their deliveries and attempt logs, unless a delivery is still
// pending; answers how many.
export async function pruneEvents(now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - EVENT_RETENTION_DAYS * DAY_MS);
  const { count } = await db.event.deleteMany({
    where: { createdAt: { lt: cutoff }, deliveries: { none: { status: "pending" } } },
  });
  return count;
}
