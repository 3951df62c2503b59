import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { usageMetrics } from "@/lib/usage/metrics";
import { flushUsage, recordUsage, UsageRecorder } from "@/lib/usage/recorder";
import { pruneUsage } from "@/lib/usage/retention";
import { writeUsageBatch } from "@/lib/usage/writer";
import { withTestDb, unreachableClient } from "../helpers/db";
import { rawAndRollup, usageEvent } from "../helpers/usage";

const db = withTestDb();
const outcomes = ["valid", "REVOKED", "rate_limited", "EXPIRED", "ip_not_allowed"];

async function clear() {
  await db.current.client.$executeRaw`TRUNCATE "UsageEvent", "UsageRollup"`;
}

async function metricValue(name: "dropped" | "flushErrors"): Promise<number> {
  return (await usageMetrics()[name].get()).values[0]?.value ?? 0;
}

describe("usage recording", () => {
  beforeEach(clear);

  it("writes every event recorded through recordUsage exactly once, and the rollups equal the raw aggregates", async () => {
    // 22:58 UTC yesterday, so the hour turns mid-run; recent enough that the recorder's retention pass (on its first
    // timer tick, reached when this runs slowly) keeps every event.
    const base = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 62 * 60_000;
    const n = 2345;
    for (let i = 0; i < n; i++) {
      recordUsage(
        usageEvent({
          keyId: `key_${i % 3}`,
          outcome: outcomes[i % outcomes.length],
          ts: new Date(base + i * 1500),
          latencyMs: (i % 17) + 0.5,
        }),
      );
      // Yield now and then so the writer's size-triggered flushes interleave with recording.
      if (i % 400 === 0) await new Promise((r) => setImmediate(r));
    }
    await flushUsage();
    expect(await db.current.client.usageEvent.count()).toBe(n);
    for (const g of ["minute", "hour", "day"] as const) {
      const { raw, rollup } = await rawAndRollup(db.current.client, g);
      expect(rollup).toEqual(raw);
      expect(rollup.reduce((s, r) => s + r.count, 0)).toBe(n);
    }
    const stored = await db.current.client.usageEvent.groupBy({
      by: ["outcome"],
      _count: true,
      orderBy: { outcome: "asc" },
    });
    expect(stored.map((s) => [s.outcome, s._count])).toEqual([
      ["expired_key", 469],
      ["ip_not_allowed", 469],
      ["rate_limited", 469],
      ["revoked_key", 469],
      ["valid", 469],
    ]);
  });

  it("adds to existing rollup rows when a later batch hits the same bucket", async () => {
    const ts = new Date(Date.UTC(2026, 2, 3, 10, 15, 30));
    await writeUsageBatch(db.current.client, [{ ...usageEvent({ ts }), outcome: "valid", ip: null, ts, latencyMs: 2 }]);
    await writeUsageBatch(db.current.client, [{ ...usageEvent({ ts }), outcome: "valid", ip: null, ts, latencyMs: 5 }]);
    const rows = await db.current.client.usageRollup.findMany({ orderBy: { granularity: "asc" } });
    expect(rows.map((r) => [r.granularity, r.bucket.toISOString(), r.count, r.latencySum])).toEqual([
      ["day", "2026-03-03T00:00:00.000Z", 2, 7],
      ["hour", "2026-03-03T10:00:00.000Z", 2, 7],
      ["minute", "2026-03-03T10:15:00.000Z", 2, 7],
    ]);
  });

  it("stores every field of every event as it was recorded, whatever characters its strings hold", async () => {
    // Strings that PostgreSQL's array syntax gives meaning to, a string reading NULL, non-ASCII text, and no address.
    const routes = ["/api/v1/keys/{a,b}", '/api/v1/"quoted"\\x', "NULL", "/api/v1/ключи/🔑", "/api/v1/keys/a b"];
    const events = routes.map((route, i) => ({
      ...usageEvent({ keyId: `key_${i % 2}` }),
      organizationId: `org_${i % 2}`,
      ts: new Date(Date.UTC(2026, 2, 3, 10, 15, 30, 123 + i)),
      route,
      method: i % 2 ? "POST" : "GET",
      status: 200 + i,
      outcome: i % 2 ? ("rate_limited" as const) : ("valid" as const),
      ip: i === 2 ? null : i % 2 ? "2001:db8::1" : "203.0.113.7",
      latencyMs: 0.125 + i,
      cost: i * 3,
    }));
    await writeUsageBatch(db.current.client, events);
    const rows = await db.current.client.usageEvent.findMany({ orderBy: { ts: "asc" } });
    expect(
      rows.map((r) => ({
        keyId: r.keyId,
        organizationId: r.organizationId,
        ts: r.ts.toISOString(),
        route: r.route,
        method: r.method,
        status: r.status,
        outcome: r.outcome,
        ip: r.ip,
        latencyMs: r.latencyMs,
        cost: r.cost,
      })),
    ).toEqual(events.map((e) => ({ ...e, ts: e.ts.toISOString() })));
    const rollups = await db.current.client.usageRollup.findMany({
      where: { granularity: "minute" },
      orderBy: { keyId: "asc" },
    });
    expect(rollups.map((r) => [r.keyId, r.organizationId, r.outcome, r.count, r.latencySum, r.credits])).toEqual([
      ["key_0", "org_0", "valid", 3, 0.125 * 3 + 0 + 2 + 4, 0 + 6 + 12],
      ["key_1", "org_1", "rate_limited", 2, 0.125 * 2 + 1 + 3, 3 + 9],
    ]);
  });

  it("refuses an unknown outcome code instead of storing it", () => {
    expect(() => recordUsage(usageEvent({ outcome: "made_up" }))).toThrow(/Unknown verification outcome/);
  });
});

describe("an unreachable database", () => {
  let recorder: UsageRecorder | undefined;
  afterEach(() => recorder?.stop());

  it("keeps events for retry, drops and counts what exceeds the buffer, and writes the rest once the database is back", async () => {
    await clear();
    const unreachable = unreachableClient();
    let target = unreachable;
    recorder = new UsageRecorder({ client: () => target, maxBuffer: 100, flushAt: 10, intervalMs: 20 });
    const droppedBefore = await metricValue("dropped");
    const errorsBefore = await metricValue("flushErrors");
    const accepted = Array.from({ length: 150 }, (_, i) =>
      recorder!.record(usageEvent({ ts: new Date(Date.UTC(2026, 0, 1) + i) })),
    );
    expect(accepted.filter(Boolean).length).toBe(100);
    expect(recorder.stats.dropped).toBe(50);
    await vi.waitFor(() => expect(recorder!.stats.flushErrors).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    expect(recorder.size).toBe(100);
    expect(await metricValue("dropped")).toBe(droppedBefore + 50);
    expect(await metricValue("flushErrors")).toBeGreaterThan(errorsBefore);
    expect(await db.current.client.usageEvent.count()).toBe(0);

    target = db.current.client;
    await recorder.flush();
    expect(await db.current.client.usageEvent.count()).toBe(100);
    expect(recorder.stats).toMatchObject({ recorded: 100, written: 100, dropped: 50 });
  });

  it("flush() gives up at its deadline and counts the unwritten events as dropped", async () => {
    const unreachable = unreachableClient();
    recorder = new UsageRecorder({ client: () => unreachable, intervalMs: 60_000 });
    for (let i = 0; i < 7; i++) recorder.record(usageEvent());
    await recorder.flush({ timeoutMs: 300 });
    expect(recorder.size).toBe(0);
    expect(recorder.stats.dropped).toBe(7);
  });
});

describe("retention", () => {
  it("deletes raw events past the retention period and minute rollups past twice that, keeping hour and day rollups", async () => {
    await clear();
    const now = new Date(Date.UTC(2026, 5, 30, 12));
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const events = [1, 29, 31, 45, 61, 75].map((d) => ({
      ...usageEvent(),
      outcome: "valid" as const,
      ip: null,
      ts: daysAgo(d),
      latencyMs: 1,
    }));
    await writeUsageBatch(db.current.client, events);
    const result = await pruneUsage(db.current.client, { now, retentionDays: 30, batchSize: 2 });
    expect(result).toEqual({ events: 4, minuteRollups: 2 });
    const left = await db.current.client.usageEvent.findMany({ orderBy: { ts: "asc" } });
    expect(left.map((e) => e.ts)).toEqual([daysAgo(29), daysAgo(1)]);
    const counts = await db.current.client.usageRollup.groupBy({
      by: ["granularity"],
      _sum: { count: true },
      orderBy: { granularity: "asc" },
    });
    expect(counts.map((c) => [c.granularity, c._sum.count])).toEqual([
      ["day", 6],
      ["hour", 6],
      ["minute", 4],
    ]);
  });
});
