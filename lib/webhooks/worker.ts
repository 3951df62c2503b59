// The event worker each server process runs: a delivery pool (at most DELIVERY_CONCURRENCY attempts at once, one per
// endpoint, organizations taking turns) that looks for due deliveries every second and whenever an attempt ends, and,
// on a timer of its own, the scheduled scan with the pruning of events and mail log lines past their retention every
// minute (and of sign-in records and audit events every hour), so neither waits for a receiver that does not answer. Stopped (the attempts in flight finished) on graceful shutdown. Any
// number of processes may run it.
import { pruneSignInRecords } from "../auth/retention";
import { getDb } from "../db";
import { env } from "../env";
import { pruneMailLog } from "../events/mail";
import { pruneEvents, runScheduledScan } from "../events/scan";
import { onShutdown } from "../shutdown";
import { createDeliveryPool, type DeliveryOptions } from "./deliver";

export type WorkerOptions = DeliveryOptions & {
  pollMs?: number;
  scanMs?: number;
  concurrency?: number;
  perOrganization?: number;
};

const SIGN_IN_PRUNE_MS = 3_600_000;

export type EventWorker = { stop(): Promise<void> };

// Starts the pool and the scan timer; the returned stop() waits for the attempts and the scan in flight.
export function startEventWorker(opts: WorkerOptions = {}): EventWorker {
  const now = opts.now ?? (() => new Date());
  const pollMs = opts.pollMs ?? 1000;
  const scanMs = opts.scanMs ?? 60_000;
  const pool = createDeliveryPool(opts);
  let stopped = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let scanTimer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> = Promise.resolve();
  let signInPrunedAt = -Infinity;

  const poll = () => {
    if (stopped) return;
    void pool.fill().finally(() => {
      if (stopped) return;
      pollTimer = setTimeout(poll, pollMs);
      pollTimer.unref();
    });
  };
  const scan = () => {
    if (stopped) return;
    scanning = (async () => {
      const at = now();
      await runScheduledScan(at);
      await pruneEvents(at);
      await pruneMailLog(at);
      if (at.getTime() - signInPrunedAt >= SIGN_IN_PRUNE_MS) {
        signInPrunedAt = at.getTime();
        await pruneSignInRecords(getDb(), { now: at, auditRetentionDays: env().AUDIT_RETENTION_DAYS });
      }
    })()
      .catch((err: unknown) => console.error("scheduled scan:", err instanceof Error ? err.message : err))
      .finally(() => {
        if (stopped) return;
        scanTimer = setTimeout(scan, scanMs);
        scanTimer.unref();
      });
  };
  poll();
  scan();

  const worker: EventWorker = {
    async stop() {
      stopped = true;
      clearTimeout(pollTimer);
      clearTimeout(scanTimer);
      await Promise.all([pool.stop(), scanning]);
    },
  };
  onShutdown("event-worker", () => worker.stop());
  return worker;
}
