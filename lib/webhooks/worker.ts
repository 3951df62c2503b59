// The event worker each server process runs: a delivery pool (at most DELIVERY_CONCURRENCY attempts at once, one per
// endpoint, organizations taking turns) that looks for due deliveries every second and whenever an attempt ends, and,
// on a timer of its own, the scheduled scan with the pruning of events past their retention every minute, so neither
// waits for a receiver that does not answer. Stopped (the attempts in flight finished) on graceful shutdown. Any
// number of processes may run it.
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
