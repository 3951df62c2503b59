// In-process cache of verified keys' records by hash, with a short TTL (KEY_CACHE_TTL_MS ≤ 5 s) that bounds how long
// another instance can keep honouring a revoked key. Kept on globalThis: route handlers and server actions are
// bundled separately by Next.js, and an invalidation in one must reach the other.
import { env } from "../env";
import type { KeyRecord } from "./record";

const MAX_ENTRIES = 50_000;

type Entry = { record: KeyRecord; until: number };
type Store = { byHash: Map<string, Entry>; hashesById: Map<string, Set<string>> };

const holder = globalThis as unknown as { keyholdKeyCache?: Store };

function store(): Store {
  holder.keyholdKeyCache ??= { byHash: new Map(), hashesById: new Map() };
  return holder.keyholdKeyCache;
}

// The cached record for a hash, if still fresh.
export function getCachedKey(hash: string, now = Date.now()): KeyRecord | undefined {
  const entry = store().byHash.get(hash);
  if (!entry) return undefined;
  if (entry.until > now) return entry.record;
  forget(hash, entry.record.id);
  return undefined;
}

// Caches a record under the hash it was found by.
export function cacheKey(hash: string, record: KeyRecord, now = Date.now()): void {
  const ttl = env().KEY_CACHE_TTL_MS;
  if (ttl === 0) return;
  const { byHash, hashesById } = store();
  if (byHash.size >= MAX_ENTRIES) {
    const oldest = byHash.entries().next().value;
    if (oldest) forget(oldest[0], oldest[1].record.id);
  }
  byHash.set(hash, { record, until: now + ttl });
  let hashes = hashesById.get(record.id);
  if (!hashes) hashesById.set(record.id, (hashes = new Set()));
  hashes.add(hash);
}

function forget(hash: string, id: string): void {
  const { byHash, hashesById } = store();
  byHash.delete(hash);
  const hashes = hashesById.get(id);
  hashes?.delete(hash);
  if (hashes?.size === 0) hashesById.delete(id);
}

// Drops every cached entry of a key (after revoke, rotate or edit) so the next request reads the database.
export function invalidateCachedKey(id: string): void {
  const { byHash, hashesById } = store();
  for (const hash of hashesById.get(id) ?? []) byHash.delete(hash);
  hashesById.delete(id);
}

// Number of cached entries (for tests and the benchmark).
export function cachedKeyCount(): number {
  return store().byHash.size;
}
