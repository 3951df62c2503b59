// Buffers items in memory and writes them in batches off the request path: every interval or once `flushAt` wait,
// retrying a failed batch with backoff, dropping (and counting) what exceeds `maxBuffer`. Shared by the usage recorder
// and the lastUsedAt writer.

export interface BatcherCounters {
  inc(n?: number): void;
}

export interface BatcherOptions<T> {
  // Names the batcher in log lines.
  name: string;
  write: (batch: T[]) => Promise<void>;
  maxBuffer?: number;
  flushAt?: number;
  intervalMs?: number;
  maxBatch?: number;
  // Runs on every timer tick (periodic maintenance that belongs with the writer).
  onTick?: () => void;
  // Mirrors the stats into metrics, and the number of items held after each change.
  metrics?: {
    written: BatcherCounters;
    dropped: BatcherCounters;
    flushErrors: BatcherCounters;
    bufferSize: { set(n: number): void };
  };
}

export interface BatcherStats {
  written: number;
  dropped: number;
  flushErrors: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Batcher<T> {
  readonly stats: BatcherStats = { written: 0, dropped: 0, flushErrors: 0 };
  private queue: T[] = [];
  private inflight = 0;
  private flushing: Promise<boolean> | null = null;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private retryAt = 0;
  private readonly opts: Required<Omit<BatcherOptions<T>, "onTick" | "metrics">> &
    Pick<BatcherOptions<T>, "onTick" | "metrics">;

  constructor(options: BatcherOptions<T>) {
    this.opts = {
      ...options,
      maxBuffer: options.maxBuffer ?? 100_000,
      flushAt: options.flushAt ?? 500,
      intervalMs: options.intervalMs ?? 1000,
      maxBatch: options.maxBatch ?? 5000,
    };
  }

  // Items held in memory (queued plus being written).
  get size(): number {
    return this.queue.length + this.inflight;
  }

  // Buffers one item (O(1)); returns false when the buffer is full and the item was dropped (and counted).
  push(item: T): boolean {
    if (this.size >= this.opts.maxBuffer) {
      this.stats.dropped += 1;
      this.opts.metrics?.dropped.inc();
      return false;
    }
    this.queue.push(item);
    this.opts.metrics?.bufferSize.set(this.size);
    this.startTimer();
    if (this.queue.length >= this.opts.flushAt && !this.scheduled && !this.flushing && Date.now() >= this.retryAt) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.kick();
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

  // Stops the timer (shutdown, tests, scripts); buffered items stay until flush().
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
    this.opts.onTick?.();
  }

  private kick(): Promise<boolean> {
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  // Writes what is queued, in batches of at most `maxBatch` (true), or stops at a failed write (false: the batch goes back
  // to the front, retried with backoff).
  private async drain(): Promise<boolean> {
    const metrics = this.opts.metrics;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inflight = batch.length;
      try {
        await this.opts.write(batch);
        this.stats.written += batch.length;
        metrics?.written.inc(batch.length);
        this.failures = 0;
        this.retryAt = 0;
      } catch (err) {
        this.queue = batch.concat(this.queue);
        this.stats.flushErrors += 1;
        metrics?.flushErrors.inc();
        this.failures += 1;
        this.retryAt = Date.now() + Math.min(30_000, 250 * 2 ** Math.min(this.failures, 7));
        if (this.failures === 1 || this.failures % 20 === 0) {
          console.error(
            `${this.opts.name}: writing ${batch.length} items failed (attempt ${this.failures}):`,
            err instanceof Error ? err.message : err,
          );
        }
        return false;
      } finally {
        this.inflight = 0;
        metrics?.bufferSize.set(this.size);
      }
      // What arrived during the write waits for the next tick or for `flushAt` items (flush() writes it all): a writer
      // that went on at once would write ever smaller batches under load, each a round trip, and for the usage
      // recorder each its own rollup rows.
      if (this.queue.length < this.opts.flushAt) break;
    }
    return true;
  }

  private drop(n: number): void {
    if (n === 0) return;
    this.stats.dropped += n;
    this.opts.metrics?.dropped.inc(n);
    console.error(`${this.opts.name}: dropped ${n} items that could not be written`);
  }
}
