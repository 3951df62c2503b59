// The scheduled scan (every minute, in the event worker): key.expiring (7 days and 1 day ahead), key.expired and
// credits.low (20 % and 0 % of the refill amount, else of the credits last set). Every event carries a dedupeKey, so
// instances scanning at the same time record each once.
import { db } from "../db";
import { effectiveRemaining, periodStart } from "../keys/credits";
import { toKeyObject } from "../keys/record";
import { recordEvent, type EventType } from "./emit";

const DAY_MS = 24 * 60 * 60 * 1000;
// An expiry older than this is not announced (a first scan of an old database does not replay history).
const EXPIRED_LOOKBACK_MS = 7 * DAY_MS;

async function record(
  organizationId: string,
  type: EventType,
  data: Record<string, unknown>,
  dedupeKey: string,
  now: Date,
): Promise<boolean> {
  const id = await db.$transaction((tx) => recordEvent(tx, { organizationId, type, data, dedupeKey }, { at: now }));
  return id !== null;
}

// Runs the scan at `now`; answers how many events it recorded (0 when another instance got there first).
export async function runScheduledScan(now = new Date()): Promise<number> {
  let recorded = 0;
  const t = now.getTime();
  const expiring = await db.apiKey.findMany({
    where: { revokedAt: null, expiresAt: { gt: new Date(t - EXPIRED_LOOKBACK_MS), lte: new Date(t + 7 * DAY_MS) } },
  });
  for (const key of expiring) {
    const expiresAt = key.expiresAt!;
    const left = expiresAt.getTime() - t;
    if (left <= 0) {
      if (
        await record(
          key.organizationId,
          "key.expired",
          { key: toKeyObject(key) },
          `key.expired:${key.id}:${expiresAt.getTime()}`,
          now,
        )
      )
        recorded++;
      continue;
    }
    const daysAhead = left <= DAY_MS ? 1 : 7;
    const dedupeKey = `key.expiring:${key.id}:${daysAhead}d:${expiresAt.getTime()}`;
    if (await record(key.organizationId, "key.expiring", { key: toKeyObject(key), daysAhead }, dedupeKey, now))
      recorded++;
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
    const dedupeKey = `credits.low:${key.id}:${percent}:${period}`;
    if (
      await record(
        key.organizationId,
        "credits.low",
        { key: toKeyObject(key), remaining, threshold: percent, base },
        dedupeKey,
        now,
      )
    )
      recorded++;
  }
  return recorded;
}
