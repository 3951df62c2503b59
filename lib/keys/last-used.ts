// lastUsedAt written in batches: verified key ids collect in memory and one UPDATE per second writes them all.
import { Batcher } from "../batcher";
import { db } from "../db";
import { onShutdown } from "../shutdown";
import { processSingleton } from "../singleton";

type Use = { id: string; at: number };

// One UPDATE per batch: every key in it gets the batch's latest time.
async function writeLastUsed(batch: Use[]): Promise<void> {
  const ids = [...new Set(batch.map((u) => u.id))];
  const at = new Date(batch.reduce((latest, u) => Math.max(latest, u.at), 0));
  await db.apiKey.updateMany({ where: { id: { in: ids } }, data: { lastUsedAt: at } });
}

function batcher(): Batcher<Use> {
  return processSingleton("key-last-used", () => {
    // Timer-driven only (no size trigger), so a busy instance still writes at most one UPDATE per second.
    const uses = new Batcher<Use>({ name: "lastUsedAt", write: writeLastUsed, flushAt: Infinity });
    onShutdown("key-last-used", flushLastUsed);
    return uses;
  });
}

// Notes that a key was used now; the write happens within about a second.
export function markKeyUsed(id: string, at = Date.now()): void {
  batcher().push({ id, at });
}

// Writes every pending lastUsedAt now (also run at shutdown).
export async function flushLastUsed(): Promise<void> {
  await batcher().flush();
}
