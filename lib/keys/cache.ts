// In-process cache of verified keys' records by hash, with a short TTL (KEY_CACHE_TTL_MS ≤ 5 s) that bounds how long
// another instance can keep honouring a revoked key. One per process (lib/singleton): an invalidation from a server
// action must reach the route handlers' copy.
import { env } from "../env";
import type { KeyRecord } from "./record";
import { processSingleton } from "../singleton";

const MAX_ENTRIES = 50_000;

type Entry = { record: KeyRecord; until: number };
type Store = {
  byHash: Map<string, Entry>;
  hashesById: Map<string, Set<string>>;
  // One database lookup per hash at a time: when an entry expires under load, concurrent requests share it.
  inflight: Map<string, Promise<KeyRecord | null>>;
  // Bumped by every invalidation, so a lookup that started before a revoke cannot cache what it read.
  generation: number;
};

function store(): Store {
  return processSingleton<Store>("key-cache", () => ({
    byHash: new Map(),
    hashesById: new Map(),
    inflight: new Map(),
    generation: 0,
  }));
}

// The cached record for a hash, if still fresh.
export function getCachedKey(hash: string, now = Date.now()): KeyRecord | undefined {
  const entry = store().byHash.get(hash);
  if (!entry) return undefined;
  if (entry.until > now) return entry.record;
  forget(hash, entry.record.id);
  return undefined;
}

function startLoad(s: Store, hash: string, load: () => Promise<KeyRecord | null>): Promise<KeyRecord | null> {
  const generation = s.generation;
  const pending = load()
    .then((record) => {
      if (s.generation === generation) {
        if (record) cacheKey(hash, record);
        else {
          const stale = s.byHash.get(hash);
          if (stale) forget(hash, stale.record.id);
        }
      }
      return record;
    })
    .finally(() => {
      if (s.inflight.get(hash) === pending) s.inflight.delete(hash);
    });
  s.inflight.set(hash, pending);
  return pending;
}

// The record for a hash: from the cache, else from `load` (one lookup shared by concurrent callers), caching what it
// finds unless an invalidation happened meanwhile. In the last second of an entry's life the cached record is still
// served while one background lookup refreshes it, so a busy key never makes a request wait for the database.
export function loadKey(
  hash: string,
  load: () => Promise<KeyRecord | null>,
  now = Date.now(),
): KeyRecord | Promise<KeyRecord | null> {
  const s = store();
  const entry = s.byHash.get(hash);
  if (entry && entry.until > now) {
    if (entry.until - now <= refreshAheadMs() && !s.inflight.has(hash))
      void startLoad(s, hash, load).catch(() => undefined);
    return entry.record;
  }
  if (entry) forget(hash, entry.record.id);
  return s.inflight.get(hash) ?? startLoad(s, hash, load);
}

function refreshAheadMs(): number {
  return Math.min(1000, env().KEY_CACHE_TTL_MS / 5);
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

// Starts a new generation: lookups already in flight may have read the old state, so they must not be cached.
function bumpGeneration(s: Store): void {
  s.generation++;
  s.inflight.clear();
}

// Drops every cached entry of a key (after revoke, rotate or edit) so the next request reads the database.
export function invalidateCachedKey(id: string): void {
  const s = store();
  const { byHash, hashesById } = s;
  bumpGeneration(s);
  for (const hash of hashesById.get(id) ?? []) byHash.delete(hash);
  hashesById.delete(id);
}

// Drops every cached entry of an account's keys: the records carry the owner's state (suspension), so a change to
// the account must reach them at once. A scan, fine for a rare administrator's action on at most 50,000 entries.
export function invalidateCachedKeysOf(organizationId: string): void {
  const s = store();
  bumpGeneration(s);
  for (const [hash, entry] of s.byHash)
    if (entry.record.organizationId === organizationId) forget(hash, entry.record.id);
}

// Number of cached entries (for tests and the benchmark).
export function cachedKeyCount(): number {
  return store().byHash.size;
}
