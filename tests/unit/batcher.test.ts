// The batcher's write rhythm: what arrives during a write waits for the next tick or for `flushAt` items, flush() writes all.
import { afterEach, describe, expect, it } from "vitest";
import { Batcher } from "../../lib/batcher";

// A write that stays open until release() is called, recording each batch's size.
function gatedWriter() {
  const sizes: number[] = [];
  let release: () => void = () => {};
  const write = (batch: number[]) => {
    sizes.push(batch.length);
    return new Promise<void>((resolve) => (release = resolve));
  };
  return { sizes, write, release: () => release() };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("Batcher", () => {
  let batcher: Batcher<number> | undefined;
  afterEach(() => batcher?.stop());

  it("writes what arrived during a write with the next batch, not at once in a smaller one", async () => {
    const gate = gatedWriter();
    batcher = new Batcher({ name: "test", write: gate.write, flushAt: 5, intervalMs: 60_000 });
    for (let i = 0; i < 5; i++) batcher.push(i);
    await tick();
    expect(gate.sizes).toEqual([5]);
    // Three arrive while the first batch is being written: fewer than flushAt, so they wait.
    for (let i = 0; i < 3; i++) batcher.push(i);
    gate.release();
    await tick();
    await tick();
    expect(gate.sizes).toEqual([5]);
    // Two more make flushAt: one batch of five.
    batcher.push(8);
    batcher.push(9);
    await tick();
    expect(gate.sizes).toEqual([5, 5]);
    gate.release();
  });

  it("goes on writing while flushAt or more are queued after a write", async () => {
    const gate = gatedWriter();
    batcher = new Batcher({ name: "test", write: gate.write, flushAt: 5, maxBatch: 5, intervalMs: 60_000 });
    for (let i = 0; i < 12; i++) batcher.push(i);
    await tick();
    expect(gate.sizes).toEqual([5]);
    gate.release();
    await tick();
    await tick();
    expect(gate.sizes).toEqual([5, 5]);
    gate.release();
    await tick();
    await tick();
    // Two left: below flushAt, they wait for the tick (or flush()).
    expect(gate.sizes).toEqual([5, 5]);
    const flushed = batcher.flush();
    await tick();
    expect(gate.sizes).toEqual([5, 5, 2]);
    gate.release();
    await flushed;
    expect(batcher.stats.written).toBe(12);
  });

  it("writes a short queue on the interval's tick", async () => {
    const sizes: number[] = [];
    batcher = new Batcher({
      name: "test",
      write: async (b: number[]) => void sizes.push(b.length),
      flushAt: 100,
      intervalMs: 20,
    });
    batcher.push(1);
    batcher.push(2);
    // The tick comes within a few intervals; polled with a deadline so a busy machine only makes it slower.
    const deadline = Date.now() + 5000;
    while (sizes.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sizes).toEqual([2]);
  });
});
