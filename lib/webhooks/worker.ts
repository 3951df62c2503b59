// The event worker each server process runs: delivers due webhooks every second and runs the scheduled scan (and the
// pruning of events past their retention) every minute; stopped (the attempt in flight finished) on graceful shutdown. Any number of processes may run it.
import { pruneEvents, runScheduledScan } from "../events/scan";
import { onShutdown } from "../shutdown";
import { runDueDeliveries, type DeliveryOptions } from "./deliver";

export type WorkerOptions = DeliveryOptions & { pollMs?: number; scanMs?: number };

export type EventWorker = { stop(): Promise<void> };

// Starts the loop; the returned stop() waits for the round in flight.
export function startEventWorker(opts: WorkerOptions = {}): EventWorker {
  const now = opts.now ?? (() => new Date());
  const pollMs = opts.pollMs ?? 1000;
  const scanMs = opts.scanMs ?? 60_000;
  let lastScan = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();

  const tick = async () => {
    try {
      await runDueDeliveries(opts);
      const at = now();
      if (at.getTime() - lastScan >= scanMs) {
        lastScan = at.getTime();
        await runScheduledScan(at);
        await pruneEvents(at);
      }
    } catch (err) {
      console.error("event worker:", err instanceof Error ? err.message : err);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      round = tick().finally(schedule);
    }, pollMs);
    timer.unref();
  };
  round = tick().finally(schedule);

  const worker: EventWorker = {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
  onShutdown("event-worker", () => worker.stop());
  return worker;
}
