// Credits counted in memory and written behind, for the embedded database only. PGlite is one process's database (its
// folder opens in one process), so this process sees every spend: counting here is exact, and each verification costs
// no statement — on PGlite a statement costs the serving thread about a millisecond of WASM, which capped verification
// with credits at a tenth of plain verification. PostgreSQL keeps the atomic statement in credits.ts (exact across
// instances).
//
// Each key's entry holds its credit columns as loaded, the spends since the last write and whether a refill happened in
// memory. Every FLUSH_MS the pending spends are written as a decrement (never below zero) and a refill as a conditional
// set, so a top-up or a PATCH committed in the meantime composes with them. Writers of credit columns call
// invalidateCredits(id) (pending spends written, entry dropped) and the next spend reloads the row. Entries are reloaded
// at least every RELOAD_MS, bounding how long a change made outside this process goes unseen. A crash loses at most the
// last FLUSH_MS of spends (like the usage buffer); a graceful stop writes them.
import { db } from "../db";
import type { CreditInterval } from "../generated/prisma/enums";
import { onShutdown } from "../shutdown";
import { processSingleton } from "../singleton";
import { periodStart, type SpendResult } from "./credit-refill";

const FLUSH_MS = 100;
const RELOAD_MS = 5_000;

type Entry = {
  remaining: number | null;
  refillAmount: number | null;
  refillInterval: CreditInterval | null;
  refilledAt: Date | null;
  loadedAt: number;
  // Not yet written: credits spent since the last write (or since the refill below), and the period refilled for.
  spent: number;
  refilledTo: Date | null;
};

type Ledger = {
  entries: Map<string, Entry>;
  loading: Map<string, Promise<void>>;
  // Writes of dropped entries still in flight: a reload waits for them so it reads what they spent.
  settling: Map<string, Promise<void>>;
  // Bumped by every invalidation: a load that started before one is discarded.
  generation: Map<string, number>;
  timer?: NodeJS.Timeout;
};

function ledger(): Ledger {
  return processSingleton("credit-ledger", () => {
    onShutdown("credit-ledger", flushCredits);
    return { entries: new Map(), loading: new Map(), settling: new Map(), generation: new Map() };
  });
}

// Applies a due refill in memory: the count is set to the refill amount at the interval's UTC boundary.
function refillIfDue(e: Entry, now: number): void {
  if (e.remaining === null || e.refillAmount === null || e.refillInterval === null) return;
  const start = periodStart(e.refillInterval, now);
  if (e.refilledAt && e.refilledAt >= start) return;
  e.remaining = e.refillAmount;
  e.refilledAt = start;
  e.refilledTo = start;
  e.spent = 0;
}

async function load(l: Ledger, keyId: string): Promise<void> {
  const settling = l.settling.get(keyId);
  if (settling) await settling;
  for (;;) {
    const generation = l.generation.get(keyId) ?? 0;
    const row = await db.apiKey.findUnique({
      where: { id: keyId },
      select: {
        creditsRemaining: true,
        creditsRefillAmount: true,
        creditsRefillInterval: true,
        creditsRefilledAt: true,
      },
    });
    if ((l.generation.get(keyId) ?? 0) !== generation) continue;
    if (!row) return;
    l.entries.set(keyId, {
      remaining: row.creditsRemaining,
      refillAmount: row.creditsRefillAmount,
      refillInterval: row.creditsRefillInterval,
      refilledAt: row.creditsRefilledAt,
      loadedAt: Date.now(),
      spent: 0,
      refilledTo: null,
    });
    return;
  }
}

// The key's entry, loading it once however many spends ask at the same time; null when the key is gone.
async function entryOf(l: Ledger, keyId: string): Promise<Entry | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const e = l.entries.get(keyId);
    if (e) return e;
    let pending = l.loading.get(keyId);
    if (!pending) {
      pending = load(l, keyId).finally(() => l.loading.delete(keyId));
      l.loading.set(keyId, pending);
    }
    await pending;
    if (!l.entries.has(keyId) && !l.loading.has(keyId)) return null;
  }
  return l.entries.get(keyId) ?? null;
}

// Spends `cost` credits of `keyId` at `now` from memory (the refill rule applied); same answers as spendCredits.
export async function spendFromLedger(keyId: string, cost: number, now: number): Promise<SpendResult> {
  const l = ledger();
  const e = l.entries.get(keyId) ?? (await entryOf(l, keyId));
  if (!e) return { ok: false, remaining: 0 };
  // From here to the return nothing awaits: no other spend or invalidation can interleave.
  if (e.remaining === null) return { ok: true, spent: 0, remaining: null };
  refillIfDue(e, now);
  if (cost === 0) return { ok: true, spent: 0, remaining: e.remaining };
  if (e.remaining! < cost) return { ok: false, remaining: e.remaining! };
  e.remaining! -= cost;
  e.spent += cost;
  schedule(l);
  return { ok: true, spent: cost, remaining: e.remaining! };
}

// What remains of a key in memory at `now` (its due refill applied), or undefined when this process holds no entry.
export function ledgerRemaining(keyId: string, now = Date.now()): number | null | undefined {
  const e = ledger().entries.get(keyId);
  if (!e) return undefined;
  if (e.remaining === null) return null;
  if (e.refillAmount !== null && e.refillInterval !== null) {
    const start = periodStart(e.refillInterval, now);
    if (!e.refilledAt || e.refilledAt < start) return e.refillAmount;
  }
  return e.remaining;
}

function schedule(l: Ledger): void {
  if (l.timer) return;
  l.timer = setTimeout(() => {
    l.timer = undefined;
    void flushCredits().catch((err: unknown) =>
      console.error("credit ledger write failed:", err instanceof Error ? err.message : err),
    );
  }, FLUSH_MS);
  l.timer.unref();
}

// Writes one entry's pending spends and refill; on failure they go back to the entry (or its replacement).
async function writeEntry(l: Ledger, keyId: string, e: Entry): Promise<void> {
  const spent = e.spent;
  const refilledTo = e.refilledTo;
  if (spent === 0 && !refilledTo) return;
  e.spent = 0;
  e.refilledTo = null;
  try {
    if (refilledTo) {
      // The refill as a set, unless the row already holds this period (a top-up applied it): then a decrement.
      const set = await db.$executeRaw`
        UPDATE "ApiKey" SET "creditsRemaining" = GREATEST("creditsRefillAmount" - ${spent}::int, 0),
          "creditsRefilledAt" = ${refilledTo}
        WHERE "id" = ${keyId} AND "creditsRemaining" IS NOT NULL AND "creditsRefillAmount" IS NOT NULL
          AND ("creditsRefilledAt" IS NULL OR "creditsRefilledAt" < ${refilledTo})`;
      if (set > 0) return;
    }
    if (spent > 0)
      await db.$executeRaw`
        UPDATE "ApiKey" SET "creditsRemaining" = GREATEST("creditsRemaining" - ${spent}::int, 0)
        WHERE "id" = ${keyId} AND "creditsRemaining" IS NOT NULL`;
  } catch (err) {
    const target = l.entries.get(keyId) ?? e;
    if (!target.refilledTo) {
      target.spent += spent;
      target.refilledTo = refilledTo;
    }
    schedule(l);
    throw err;
  }
}

// Writes every pending spend now (the timer, shutdown, tests); entries older than RELOAD_MS are dropped after writing.
export async function flushCredits(): Promise<void> {
  const l = ledger();
  const now = Date.now();
  for (const [keyId, e] of [...l.entries]) {
    if (now - e.loadedAt >= RELOAD_MS) await invalidateCredits(keyId);
    else await writeEntry(l, keyId, e);
  }
}

// Before and after a write to a key's credit columns: its pending spends are written and its entry dropped, so the
// next spend reads the row as committed. A no-op on PostgreSQL (no entries are ever made there).
export async function invalidateCredits(keyId: string): Promise<void> {
  const l = ledger();
  l.generation.set(keyId, (l.generation.get(keyId) ?? 0) + 1);
  const e = l.entries.get(keyId);
  if (!e) return (await l.settling.get(keyId)) ?? undefined;
  l.entries.delete(keyId);
  const write = writeEntry(l, keyId, e).finally(() => {
    if (l.settling.get(keyId) === write) l.settling.delete(keyId);
  });
  l.settling.set(keyId, write);
  await write;
}
