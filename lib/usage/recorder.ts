// Usage recording off the request path: recordUsage() buffers in memory (O(1)); a writer flushes batches every second or every 500 events.
import { getDb } from "../db";
import { env } from "../env";
import type { PrismaClient } from "../generated/prisma/client";
import { onShutdown } from "../shutdown";
import { usageMetrics } from "./metrics";
import { usageOutcome } from "./outcomes";
import { pruneUsage } from "./retention";
import { writeUsageBatch, type UsageEventInput } from "./writer";

export interface RecordUsageInput {
  keyId: string;
  userId: string;
  route: string;
  method: string;
  status: number;
  // `valid`, a REST error code (`revoked_key`) or a verify code (`REVOKED`); stored in the lower-case REST vocabulary.
  outcome: string;
  ip?: string | null;
  latencyMs: number;
  ts?: Date;
}

export interface RecorderOptions {
  client: () => PrismaClient;
  maxBuffer?: number;
  flushAt?: number;
  intervalMs?: number;
  maxBatch?: number;
  // Periodic maintenance (retention), run from the writer's timer.
  maintenance?: { everyMs: number; run: () => Promise<unknown> };
}

export interface RecorderStats {
  recorded: number;
  written: number;
  dropped: number;
  flushErrors: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class UsageRecorder {
  readonly stats: RecorderStats = { recorded: 0, written: 0, dropped: 0, flushErrors: 0 };
  private queue: UsageEventInput[] = [];
  private inflight = 0;
  private flushing: Promise<boolean> | null = null;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private retryAt = 0;
  private lastMaintenance = 0;
  private maintaining = false;
  private readonly opts: Required<Omit<RecorderOptions, "maintenance">> & Pick<RecorderOptions, "maintenance">;

  constructor(options: RecorderOptions) {
    this.opts = { maxBuffer: 100_000, flushAt: 500, intervalMs: 1000, maxBatch: 5000, ...options };
  }

  // Events held in memory (queued plus being written).
  get size(): number {
    return this.queue.length + this.inflight;
  }

  // Buffers one event and updates the verification metrics; returns false when the buffer is full and the event was dropped (and counted).
  record(input: RecordUsageInput): boolean {
    const metrics = usageMetrics();
    const outcome = usageOutcome(input.outcome);
    metrics.verificationsBy(outcome).inc();
    metrics.latency.observe(input.latencyMs / 1000);
    if (this.size >= this.opts.maxBuffer) {
      this.stats.dropped += 1;
      metrics.dropped.inc();
      return false;
    }
    this.queue.push({
      keyId: input.keyId,
      userId: input.userId,
      ts: input.ts ?? new Date(),
      route: input.route,
      method: input.method,
      status: input.status,
      outcome,
      ip: input.ip ?? null,
      latencyMs: input.latencyMs,
    });
    this.stats.recorded += 1;
    metrics.bufferSize.set(this.size);
    this.startTimer();
    if (this.queue.length >= this.opts.flushAt && !this.scheduled && !this.flushing && Date.now() >= this.retryAt) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.kick();
      });
    }
    return true;
  }

  // Writes everything buffered, retrying failed batches until `timeoutMs`; what still cannot be written is dropped and counted.
  async flush({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.flushing) await this.flushing;
      if (this.queue.length === 0) return;
      if (await this.kick()) continue;
      if (Date.now() >= deadline) {
        this.drop(this.queue.length);
        this.queue = [];
        return;
      }
      await sleep(Math.min(250, Math.max(0, deadline - Date.now())));
    }
  }

  // Stops the timer (tests, scripts); buffered events stay until flush().
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.intervalMs);
    this.timer.unref();
  }

  private tick(): void {
    if (this.queue.length > 0 && Date.now() >= this.retryAt) void this.kick();
    const m = this.opts.maintenance;
    if (m && !this.maintaining && Date.now() - this.lastMaintenance >= m.everyMs) {
      this.maintaining = true;
      this.lastMaintenance = Date.now();
      m.run()
        .catch((err: unknown) => console.error("usage maintenance failed:", err instanceof Error ? err.message : err))
        .finally(() => (this.maintaining = false));
    }
  }

  private kick(): Promise<boolean> {
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  // Writes batches until the queue is empty (true) or a write fails (false: the batch goes back to the front, retried with backoff).
  private async drain(): Promise<boolean> {
    const metrics = usageMetrics();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inflight = batch.length;
      try {
        await writeUsageBatch(this.opts.client(), batch);
        this.stats.written += batch.length;
        metrics.written.inc(batch.length);
        this.failures = 0;
        this.retryAt = 0;
      } catch (err) {
        this.queue = batch.concat(this.queue);
        this.stats.flushErrors += 1;
        metrics.flushErrors.inc();
        this.failures += 1;
        this.retryAt = Date.now() + Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
        if (this.failures === 1 || this.failures % 20 === 0) {
          console.error(`usage: writing ${batch.length} events failed (attempt ${this.failures}):`, err instanceof Error ? err.message : err);
        }
        return false;
      } finally {
        this.inflight = 0;
        metrics.bufferSize.set(this.size);
      }
    }
    return true;
  }

  private drop(n: number): void {
    if (n === 0) return;
    this.stats.dropped += n;
    usageMetrics().dropped.inc(n);
    console.error(`usage: dropped ${n} events that could not be written`);
  }
}

const holder = globalThis as unknown as { keyholdUsageRecorder?: UsageRecorder };

// The process-wide recorder (on globalThis so every bundle shares one buffer), flushed by the shutdown hooks.
export function usageRecorder(): UsageRecorder {
  if (!holder.keyholdUsageRecorder) {
    const recorder = new UsageRecorder({
      client: getDb,
      maintenance: { everyMs: 3_600_000, run: () => pruneUsage(getDb(), { retentionDays: env().USAGE_RETENTION_DAYS }) },
    });
    holder.keyholdUsageRecorder = recorder;
    onShutdown("usage", async () => {
      await recorder.flush();
      recorder.stop();
    });
  }
  return holder.keyholdUsageRecorder;
}

// Records one verification (call once per verification that identified a key): buffers the event and updates the metrics.
export function recordUsage(input: RecordUsageInput): boolean {
  return usageRecorder().record(input);
}

// Writes every buffered event now (shutdown, tests, scripts).
export function flushUsage(): Promise<void> {
  return usageRecorder().flush();
}
