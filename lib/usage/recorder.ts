// Usage recording off the request path: recordUsage() buffers in memory (O(1)); a writer flushes batches every second or every 500 events.
import { Batcher, type BatcherStats } from "../batcher";
import { getDb, isEmbeddedDb } from "../db";
import { env } from "../env";
import type { PrismaClient } from "../generated/prisma/client";
import { onShutdown } from "../shutdown";
import { processSingleton } from "../singleton";
import { usageMetrics } from "./metrics";
import { usageOutcome } from "./outcomes";
import { pruneUsage } from "./retention";
import { writeUsageBatch, type UsageEventInput } from "./writer";

export interface RecordUsageInput {
  keyId: string;
  organizationId: string;
  route: string;
  method: string;
  status: number;
  // `valid`, a REST error code (`revoked_key`) or a verify code (`REVOKED`); stored in the lower-case REST vocabulary.
  outcome: string;
  ip?: string | null;
  latencyMs: number;
  // Credits the verification spent (0 when refused or free).
  cost?: number;
  ts?: Date;
}

// Events that start a write before the interval's tick. On PGlite the write runs in the server's own process, and a
// batch of 5,000 held the event loop long enough to put whoami's p99 at half capacity at 86 ms (17 ms with 500). On
// PostgreSQL the write is the database's work, and most of it is the rollups: over 200 busy keys a batch of 500 upserted
// 2.6 rollup rows per event, where the events of a whole second (the interval) share one row per key and bucket.
const usageFlushAt = () => (isEmbeddedDb() ? 500 : 5000);

export interface RecorderOptions {
  client: () => PrismaClient;
  maxBuffer?: number;
  flushAt?: number;
  intervalMs?: number;
  maxBatch?: number;
  // Periodic maintenance (retention), run from the writer's timer.
  maintenance?: { everyMs: number; run: () => Promise<unknown> };
}

export interface RecorderStats extends BatcherStats {
  recorded: number;
}

// The usage events' batcher plus what is usage-specific: outcome mapping, verification metrics and retention.
export class UsageRecorder {
  private recorded = 0;
  private lastMaintenance = 0;
  private maintaining = false;
  private readonly batcher: Batcher<UsageEventInput>;

  constructor(private readonly options: RecorderOptions) {
    this.batcher = new Batcher({
      name: "usage",
      write: (batch) => writeUsageBatch(options.client(), batch),
      maxBuffer: options.maxBuffer,
      flushAt: options.flushAt ?? usageFlushAt(),
      intervalMs: options.intervalMs,
      maxBatch: options.maxBatch,
      onTick: () => this.maintain(),
      metrics: usageMetrics(),
    });
  }

  // Events recorded, written, dropped, and failed batch writes.
  get stats(): RecorderStats {
    return { recorded: this.recorded, ...this.batcher.stats };
  }

  // Events held in memory (queued plus being written).
  get size(): number {
    return this.batcher.size;
  }

  // Buffers one event and updates the verification metrics; returns false when the buffer is full and the event was dropped (and counted).
  record(input: RecordUsageInput): boolean {
    const metrics = usageMetrics();
    const outcome = usageOutcome(input.outcome);
    metrics.verificationsBy(outcome).inc();
    metrics.latency.observe(input.latencyMs / 1000);
    const accepted = this.batcher.push({
      keyId: input.keyId,
      organizationId: input.organizationId,
      ts: input.ts ?? new Date(),
      route: input.route,
      method: input.method,
      status: input.status,
      outcome,
      ip: input.ip ?? null,
      latencyMs: input.latencyMs,
      cost: input.cost ?? 0,
    });
    if (accepted) this.recorded += 1;
    return accepted;
  }

  // Writes everything buffered, retrying failed batches until `timeoutMs`; what still cannot be written is dropped and counted.
  flush(opts?: { timeoutMs?: number }): Promise<void> {
    return this.batcher.flush(opts);
  }

  // Stops the timer (tests, scripts); buffered events stay until flush().
  stop(): void {
    this.batcher.stop();
  }

  private maintain(): void {
    const m = this.options.maintenance;
    if (!m || this.maintaining || Date.now() - this.lastMaintenance < m.everyMs) return;
    this.maintaining = true;
    this.lastMaintenance = Date.now();
    m.run()
      .catch((err: unknown) => console.error("usage maintenance failed:", err instanceof Error ? err.message : err))
      .finally(() => (this.maintaining = false));
  }
}

// The process-wide recorder (one buffer for every bundle), flushed by the shutdown hooks.
export function usageRecorder(): UsageRecorder {
  return processSingleton("usage-recorder", () => {
    const recorder = new UsageRecorder({
      client: getDb,
      maintenance: {
        everyMs: 3_600_000,
        run: () => pruneUsage(getDb(), { retentionDays: env().USAGE_RETENTION_DAYS }),
      },
    });
    onShutdown("usage", async () => {
      await recorder.flush();
      recorder.stop();
    });
    return recorder;
  });
}

// Records one verification (call once per verification that identified a key): buffers the event and updates the metrics.
export function recordUsage(input: RecordUsageInput): boolean {
  return usageRecorder().record(input);
}

// Writes every buffered event now (shutdown, tests, scripts).
export function flushUsage(): Promise<void> {
  return usageRecorder().flush();
}
