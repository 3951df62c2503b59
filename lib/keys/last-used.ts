// lastUsedAt written in batches: verified key ids collect in memory and one UPDATE per second writes them all.
// Kept on globalThis so route handlers and server actions (bundled separately by Next.js) share one buffer.
import { db } from "../db";
import { onShutdown } from "../shutdown";

const FLUSH_INTERVAL_MS = 1000;

type Buffer = { ids: Set<string>; latest: number; timer?: NodeJS.Timeout; flushing?: Promise<void> };

const holder = globalThis as unknown as { keyholdLastUsed?: Buffer };

function buffer(): Buffer {
  if (!holder.keyholdLastUsed) {
    holder.keyholdLastUsed = { ids: new Set(), latest: 0 };
    onShutdown("key-last-used", flushLastUsed);
  }
  return holder.keyholdLastUsed;
}

// Notes that a key was used now; the write happens within about a second.
export function markKeyUsed(id: string, at = Date.now()): void {
  const buf = buffer();
  buf.ids.add(id);
  if (at > buf.latest) buf.latest = at;
  if (!buf.timer) {
    buf.timer = setTimeout(() => void flushLastUsed().catch((err: unknown) => console.error("lastUsedAt flush failed:", err instanceof Error ? err.message : err)), FLUSH_INTERVAL_MS);
    buf.timer.unref();
  }
}

// Writes every pending lastUsedAt in one statement (also run at shutdown).
export async function flushLastUsed(): Promise<void> {
  const buf = buffer();
  clearTimeout(buf.timer);
  buf.timer = undefined;
  await buf.flushing;
  if (buf.ids.size === 0) return;
  const ids = [...buf.ids];
  const at = new Date(buf.latest);
  buf.ids = new Set();
  buf.flushing = db.apiKey
    .updateMany({ where: { id: { in: ids } }, data: { lastUsedAt: at } })
    .then(() => undefined)
    .finally(() => {
      buf.flushing = undefined;
    });
  await buf.flushing;
}
