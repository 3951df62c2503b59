// The key cache: TTL, single-flight lookups, and invalidation that beats a lookup already in flight.
import { describe, expect, it } from "vitest";
import { cacheKey, getCachedKey, invalidateCachedKey, loadKey } from "@/lib/keys/cache";
import type { KeyRecord } from "@/lib/keys/record";

function record(id: string): KeyRecord {
  return { id, hash: `h-${id}` } as KeyRecord;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("key cache", () => {
  it("serves an entry until its TTL (KEY_CACHE_TTL_MS) passes", () => {
    const now = Date.now();
    cacheKey("h-ttl", record("ttl"), now);
    expect(getCachedKey("h-ttl", now + 4999)).toBeDefined();
    expect(getCachedKey("h-ttl", now + 5000)).toBeUndefined();
  });

  it("shares one lookup among concurrent callers and caches its result", async () => {
    let calls = 0;
    const gate = deferred<KeyRecord | null>();
    const load = () => {
      calls++;
      return gate.promise;
    };
    const a = loadKey("h-sf", load);
    const b = loadKey("h-sf", load);
    gate.resolve(record("sf"));
    expect(await a).toEqual(await b);
    expect(calls).toBe(1);
    expect(loadKey("h-sf", load)).toEqual(record("sf"));
    expect(calls).toBe(1);
  });

  it("does not cache what a lookup read before an invalidation", async () => {
    const gate = deferred<KeyRecord | null>();
    const pending = loadKey("h-race", () => gate.promise);
    invalidateCachedKey("race");
    gate.resolve(record("race"));
    expect(await pending).toEqual(record("race"));
    expect(getCachedKey("h-race")).toBeUndefined();
  });

  it("refreshes a busy entry in the background during its last second, serving the cached record meanwhile", async () => {
    const now = Date.now();
    cacheKey("h-ahead", record("ahead"), now - 4500);
    let calls = 0;
    const fresh = { ...record("ahead"), name: "fresh" } as KeyRecord;
    const gate = deferred<KeyRecord | null>();
    const load = () => {
      calls++;
      return gate.promise;
    };
    expect(loadKey("h-ahead", load, now)).toEqual(record("ahead"));
    expect(loadKey("h-ahead", load, now)).toEqual(record("ahead"));
    expect(calls).toBe(1);
    gate.resolve(fresh);
    await gate.promise;
    await Promise.resolve();
    expect(getCachedKey("h-ahead", now + 4000)).toEqual(fresh);
  });

  it("forgets an entry whose background refresh finds nothing", async () => {
    const now = Date.now();
    cacheKey("h-gone", record("gone"), now - 4500);
    const gate = deferred<KeyRecord | null>();
    expect(loadKey("h-gone", () => gate.promise, now)).toEqual(record("gone"));
    gate.resolve(null);
    await gate.promise;
    await Promise.resolve();
    expect(getCachedKey("h-gone", now)).toBeUndefined();
  });

  it("drops every hash of a key on invalidation, and nothing is cached for an unknown key", async () => {
    cacheKey("h-new", record("multi"));
    cacheKey("h-old", record("multi"));
    invalidateCachedKey("multi");
    expect(getCachedKey("h-new")).toBeUndefined();
    expect(getCachedKey("h-old")).toBeUndefined();
    expect(await loadKey("h-none", async () => null)).toBeNull();
    expect(getCachedKey("h-none")).toBeUndefined();
  });
});
