// lastUsedAt written behind: however busy a key is, one write per interval holding each key's latest use.
import { afterEach, describe, expect, it } from "vitest";
import { LastUsedTracker } from "@/lib/keys/last-used";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let tracker: LastUsedTracker | undefined;
afterEach(() => tracker?.stop());

describe("LastUsedTracker", () => {
  // The fault: the write loop kept going while uses kept arriving, so a busy instance wrote lastUsedAt back to back
  // (about a hundred UPDATEs a second under load) instead of once a second.
  it("writes at most once per interval while uses keep arriving", async () => {
    const writes: Map<string, number>[] = [];
    tracker = new LastUsedTracker(async (uses) => {
      writes.push(new Map(uses));
      await sleep(5); // a database round trip
    }, 200);
    const started = Date.now();
    let last = 0;
    while (Date.now() - started < 1_050) {
      last = Date.now();
      tracker.mark("key_busy", last);
      await sleep(1);
    }
    // 1.05 s of uses at a 200 ms interval: five or six ticks.
    expect(writes.length).toBeGreaterThanOrEqual(4);
    expect(writes.length).toBeLessThanOrEqual(6);
    await tracker.flush();
    expect(writes.at(-1)?.get("key_busy")).toBe(last);
  });

  it("keeps each key's latest use, one entry per key however many uses", async () => {
    const writes: Map<string, number>[] = [];
    tracker = new LastUsedTracker(async (uses) => void writes.push(new Map(uses)), 60_000);
    for (let i = 0; i < 10_000; i++) tracker.mark(`key_${i % 3}`, 1_000 + i);
    tracker.mark("key_0", 5); // an older time arriving late does not move a key back
    expect(tracker.size).toBe(3);
    await tracker.flush();
    expect([...writes[0]].sort()).toEqual([
      ["key_0", 10_999],
      ["key_1", 10_997],
      ["key_2", 10_998],
    ]);
    expect(tracker.size).toBe(0);
  });

  it("keeps the uses of a failed write for the next one", async () => {
    let fail = true;
    const writes: Map<string, number>[] = [];
    tracker = new LastUsedTracker(async (uses) => {
      if (fail) throw new Error("database down");
      writes.push(new Map(uses));
    }, 60_000);
    tracker.mark("key_a", 10);
    await expect(tracker.flush()).rejects.toThrow("database down");
    tracker.mark("key_a", 20);
    tracker.mark("key_b", 30);
    fail = false;
    await tracker.flush();
    expect([...writes[0]].sort()).toEqual([
      ["key_a", 20],
      ["key_b", 30],
    ]);
  });
});
