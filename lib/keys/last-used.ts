// lastUsedAt written behind: each key's latest use collects in memory (one entry per key, however busy the key), and
// one UPDATE per interval writes them all, each key with its own time.
import { queryOnDriver, getDb } from "../db";
import { onShutdown } from "../shutdown";
import { processSingleton } from "../singleton";

type Write = (uses: ReadonlyMap<string, number>) => Promise<void>;

// The latest use of each key since the last write, and a timer that writes them every `intervalMs`. A write that fails
// leaves its uses for the next one; the next tick waits until a write in progress has finished.
export class LastUsedTracker {
  private pending = new Map<string, number>();
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly write: Write,
    private readonly intervalMs = 1_000,
  ) {}

  // Keys waiting to be written.
  get size(): number {
    return this.pending.size;
  }

  // Notes that key `id` was used at `at` (ms); an older time than the one held changes nothing.
  mark(id: string, at: number): void {
    const held = this.pending.get(id);
    if (held === undefined || at > held) this.pending.set(id, at);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    }
  }

  // Writes everything pending now (after a write in progress); rejects when the write fails (the uses stay pending).
  async flush(): Promise<void> {
    await this.writing?.catch(() => undefined);
    if (this.pending.size > 0) await this.writePending();
  }

  // Stops the timer (shutdown, tests); pending uses stay until flush().
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (this.writing || this.pending.size === 0) return;
    this.writePending().catch((err: unknown) => {
      this.failures += 1;
      if (this.failures === 1 || this.failures % 60 === 0)
        console.error(`lastUsedAt: write failed (attempt ${this.failures}):`, err instanceof Error ? err.message : err);
    });
  }

  private writePending(): Promise<void> {
    const uses = this.pending;
    this.pending = new Map();
    this.writing = this.write(uses)
      .then(() => {
        this.failures = 0;
      })
      .catch((err: unknown) => {
        for (const [id, at] of uses) this.mark(id, at);
        throw err;
      })
      .finally(() => {
        this.writing = null;
      });
    return this.writing;
  }
}

// One UPDATE for every key in `uses`, each set to its own latest use (never moved back by a slower instance's write).
async function writeLastUsed(uses: ReadonlyMap<string, number>): Promise<void> {
  await queryOnDriver(
    getDb(),
    `UPDATE "ApiKey" AS k SET "lastUsedAt" = u.at
     FROM (SELECT id, timestamptz 'epoch' + ms * interval '1 millisecond' AS at FROM unnest($1::text[], $2::int8[]) AS t(id, ms)) AS u
     WHERE k."id" = u.id AND (k."lastUsedAt" IS NULL OR k."lastUsedAt" < u.at)`,
    [[...uses.keys()], `{${[...uses.values()].join(",")}}`],
  );
}

function tracker(): LastUsedTracker {
  return processSingleton("key-last-used", () => {
    const uses = new LastUsedTracker(writeLastUsed);
    onShutdown("key-last-used", flushLastUsed);
    return uses;
  });
}

// Notes that a key was used now; the write happens within about a second.
export function markKeyUsed(id: string, at = Date.now()): void {
  tracker().mark(id, at);
}

// Writes every pending lastUsedAt now (also run at shutdown).
export async function flushLastUsed(): Promise<void> {
  await tracker().flush();
}
