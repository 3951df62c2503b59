// ratelimit.exceeded, at most once per key per hour, without slowing verification: a per-process memo answers repeats
// at once, and the first refusal of a key in an hour is recorded off the request path, with a dedupeKey so several
// processes record it once.
import { db } from "../db";
import type { KeyRecord } from "../keys/record";
import { toKeyObject } from "../keys/record";
import { onShutdown } from "../shutdown";
import { processSingleton } from "../singleton";
import { emitEvent } from "./emit";

const HOUR_MS = 60 * 60 * 1000;

// keyId → the hour (ms since epoch, floored) its event was recorded for by this process.
const noted = processSingleton("ratelimit-events", () => {
  onShutdown("ratelimit-events", flushRateLimitEvents);
  return { hour: 0, keys: new Set<string>(), pending: new Set<Promise<void>>() };
});

// Notes a rate-limited verification of `key` at `now`; records ratelimit.exceeded once per key and hour.
export function noteRateLimited(key: KeyRecord, limit: number, now = Date.now()): void {
  const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
  if (hour !== noted.hour) {
    noted.hour = hour;
    noted.keys.clear();
  }
  if (noted.keys.has(key.id)) return;
  noted.keys.add(key.id);
  const hourIso = new Date(hour).toISOString();
  const work = db
    .$transaction((tx) =>
      emitEvent(tx, {
        organizationId: key.organizationId,
        type: "ratelimit.exceeded",
        data: { key: toKeyObject(key), limit, hour: hourIso },
        dedupeKey: `ratelimit:${key.id}:${hourIso}`,
      }),
    )
    .catch((err: unknown) => {
      // Lost for this process only: another refusal in the hour tries again.
      noted.keys.delete(key.id);
      console.error("ratelimit.exceeded event failed:", err instanceof Error ? err.message : err);
    })
    .finally(() => noted.pending.delete(work));
  noted.pending.add(work);
}

// Waits for the events being recorded (tests, shutdown).
export async function flushRateLimitEvents(): Promise<void> {
  await Promise.all([...noted.pending]);
}
