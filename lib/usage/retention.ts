// Retention: raw events older than USAGE_RETENTION_DAYS and minute rollups older than twice that are deleted in batches; hour and day rollups stay.
import type { PrismaClient } from "../generated/prisma/client";

const DAY_MS = 86_400_000;

// Minute rollups outlive raw events by this factor, so recent charts keep minute detail after raw events are gone.
const MINUTE_ROLLUP_RETENTION_FACTOR = 2;

// The oldest instant for which minute rollups are still kept.
export function minuteRollupCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - MINUTE_ROLLUP_RETENTION_FACTOR * retentionDays * DAY_MS);
}

// Deletes expired raw events and minute rollups, batchSize rows per statement so no lock is held for long.
export async function pruneUsage(
  client: PrismaClient,
  { now = new Date(), retentionDays, batchSize = 10_000 }: { now?: Date; retentionDays: number; batchSize?: number },
): Promise<{ events: number; minuteRollups: number }> {
  const eventCutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  const minuteCutoff = minuteRollupCutoff(now, retentionDays).toISOString();
  let events = 0;
  for (;;) {
    const n = await client.$executeRaw`
      DELETE FROM "UsageEvent" WHERE "id" IN (SELECT "id" FROM "UsageEvent" WHERE "ts" < ${eventCutoff}::timestamptz LIMIT ${batchSize})`;
    events += n;
    if (n < batchSize) break;
  }
  let minuteRollups = 0;
  for (;;) {
    const n = await client.$executeRaw`
      DELETE FROM "UsageRollup" WHERE ctid IN (
        SELECT ctid FROM "UsageRollup" WHERE "granularity" = 'minute' AND "bucket" < ${minuteCutoff}::timestamptz LIMIT ${batchSize})`;
    minuteRollups += n;
    if (n < batchSize) break;
  }
  return { events, minuteRollups };
}
