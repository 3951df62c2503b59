// Benchmark (npm run bench:usage) on a dedicated PostgreSQL database `keyhold_bench`, recreated each run:
// (a) 1,000,000 events through recordUsage → buffer → batch writer: nothing lost, events/s;
// (b) 10,000,000 events bulk-generated with matching rollups: the 30-day chart from rollups vs the same answer from raw events.
import { Client } from "pg";
import { postgresClient } from "../lib/db";
import { PrismaClient } from "../lib/generated/prisma/client";
import { getUsageSeries, type UsageParams } from "../lib/usage/queries";
import { UsageRecorder } from "../lib/usage/recorder";
import { benchDatabaseUrl, recreateBenchDatabase } from "./bench-setup";
import { runMain } from "./run-main";

const RECORD_EVENTS = 1_000_000;
const BULK_EVENTS = 10_000_000;
const KEYS = 20;
const KEYS_PER_ORG = 4;
const REPETITIONS = 10;
const OUTCOMES = ["valid", "rate_limited", "insufficient_scope", "ip_not_allowed", "revoked_key"];

const benchUrl = benchDatabaseUrl("keyhold_bench");

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function rollupSums(sql: Client): Promise<Record<string, number>> {
  const { rows } = await sql.query(
    `SELECT "granularity", sum("count")::float8 AS n FROM "UsageRollup" GROUP BY 1 ORDER BY 1`,
  );
  return Object.fromEntries(rows.map((r: { granularity: string; n: number }) => [r.granularity, r.n]));
}

async function benchRecording(client: PrismaClient, sql: Client): Promise<boolean> {
  console.log(`\n(a) ${fmt(RECORD_EVENTS)} events through recordUsage → buffer → batch writer (PostgreSQL)`);
  const before = Number((await sql.query(`SELECT count(*) AS n FROM "UsageEvent"`)).rows[0].n);
  const recorder = new UsageRecorder({ client: () => client });
  const started = performance.now();
  for (let i = 0; i < RECORD_EVENTS; i++) {
    const k = i % KEYS;
    recorder.record({
      keyId: `rk${k}`,
      organizationId: `ro${Math.floor(k / KEYS_PER_ORG)}`,
      route: "/api/v1/whoami",
      method: "GET",
      status: 200,
      outcome: OUTCOMES[i % 50 === 0 ? 1 + (i % 4) : 0],
      ip: "203.0.113.9",
      latencyMs: 1 + (i % 9),
    });
    // The request path never waits; a load generator this fast must, or the bounded buffer would (correctly) drop.
    if (recorder.size >= 50_000) while (recorder.size >= 10_000) await sleep(2);
  }
  await recorder.flush();
  const seconds = (performance.now() - started) / 1000;
  recorder.stop();
  const after = Number((await sql.query(`SELECT count(*) AS n FROM "UsageEvent"`)).rows[0].n);
  const sums = await rollupSums(sql);
  const ok =
    after - before === RECORD_EVENTS &&
    recorder.stats.dropped === 0 &&
    Object.values(sums).every((n) => n === RECORD_EVENTS);
  console.log(
    `    recorded ${fmt(recorder.stats.recorded)}, written ${fmt(recorder.stats.written)}, dropped ${recorder.stats.dropped}, flush errors ${recorder.stats.flushErrors}`,
  );
  console.log(
    `    database: ${fmt(after - before)} new raw events; rollup sums minute/hour/day = ${fmt(sums.minute)}/${fmt(sums.hour)}/${fmt(sums.day)}`,
  );
  console.log(
    `    ${seconds.toFixed(1)} s → ${fmt(RECORD_EVENTS / seconds)} events/s   ${ok ? "OK: nothing lost" : "FAIL: counts differ"}`,
  );
  return ok;
}

async function bulkLoad(sql: Client, start: Date): Promise<void> {
  console.log(
    `\n(b) ${fmt(BULK_EVENTS)} events bulk-generated over 30 days (${KEYS} keys, ${KEYS / KEYS_PER_ORG} organizations) with matching rollups`,
  );
  const t0 = performance.now();
  await sql.query(`TRUNCATE "UsageEvent", "UsageRollup"`);
  await sql.query(`SET synchronous_commit = off`);
  await sql.query(`SET maintenance_work_mem = '512MB'`);
  await sql.query(`SET work_mem = '256MB'`);
  // Secondary indexes are rebuilt after the load (same definitions as the migration): a bulk build is much faster than 10M inserts into them.
  const indexes = (
    await sql.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'UsageEvent' AND indexname <> 'UsageEvent_pkey'`)
  ).rows.map((r: { indexdef: string }) => r.indexdef);
  for (const def of indexes) await sql.query(`DROP INDEX ${/INDEX (\S+) ON/.exec(def)![1]}`);
  const chunk = 2_000_000;
  for (let offset = 0; offset < BULK_EVENTS; offset += chunk) {
    await sql.query(
      `INSERT INTO "UsageEvent" ("keyId", "organizationId", "ts", "route", "method", "status", "outcome", "ip", "latencyMs")
       SELECT 'bk' || (i % ${KEYS}), 'bo' || ((i % ${KEYS}) / ${KEYS_PER_ORG}),
              $1::timestamptz + (i::float8 / ${BULK_EVENTS}) * interval '30 days',
              '/api/v1/whoami', 'GET', 200,
              CASE WHEN (i * 7919) % 100 < 94 THEN 'valid' WHEN (i * 7919) % 100 < 97 THEN 'rate_limited'
                   WHEN (i * 7919) % 100 < 98 THEN 'insufficient_scope' WHEN (i * 7919) % 100 < 99 THEN 'ip_not_allowed' ELSE 'revoked_key' END,
              NULL, (i % 13) + 1
       FROM generate_series($2::bigint, $3::bigint) AS i`,
      [start.toISOString(), offset, Math.min(offset + chunk, BULK_EVENTS) - 1],
    );
  }
  for (const def of indexes) await sql.query(def);
  for (const g of ["minute", "hour", "day"]) {
    await sql.query(
      `INSERT INTO "UsageRollup" ("granularity", "bucket", "keyId", "organizationId", "outcome", "count", "latencySum")
       SELECT '${g}', date_trunc('${g}', "ts", 'UTC'), "keyId", min("organizationId"), "outcome", count(*), sum("latencyMs")
       FROM "UsageEvent" GROUP BY 2, 3, 5`,
    );
  }
  await sql.query(`VACUUM ANALYZE "UsageEvent"`);
  await sql.query(`VACUUM ANALYZE "UsageRollup"`);
  const rollupRows = Number((await sql.query(`SELECT count(*) AS n FROM "UsageRollup"`)).rows[0].n);
  const sums = await rollupSums(sql);
  console.log(
    `    loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${fmt(rollupRows)} rollup rows; rollup sums minute/hour/day = ${fmt(sums.minute)}/${fmt(sums.hour)}/${fmt(sums.day)}`,
  );
}

type Answer = Map<string, number>;

async function benchCharts(client: PrismaClient, start: Date): Promise<boolean> {
  const params: UsageParams = {
    scope: { organizationId: "bo0" },
    from: start,
    to: new Date(start.getTime() + 30 * 86_400_000),
    interval: "day",
    timeZone: "America/New_York",
    now: new Date(start.getTime() + 30 * 86_400_000),
  };
  const fromRollups = async (): Promise<Answer> => {
    const series = await getUsageSeries(params, client);
    const out: Answer = new Map();
    for (const b of series.buckets)
      for (const [o, n] of Object.entries(b.outcomes)) out.set(`${b.start.toISOString()} ${o}`, n);
    return out;
  };
  const range = await getUsageSeries(params, client);
  const fromRaw = async (): Promise<Answer> => {
    const rows = await client.$queryRaw<{ b: Date; outcome: string; n: number }[]>`
      SELECT date_trunc('day', "ts", ${params.timeZone}) AS b, "outcome", count(*)::float8 AS n
      FROM "UsageEvent" WHERE "organizationId" = 'bo0' AND "ts" >= ${range.from.toISOString()}::timestamptz AND "ts" < ${range.to.toISOString()}::timestamptz
      GROUP BY 1, 2`;
    return new Map(rows.map((r) => [`${r.b.toISOString()} ${r.outcome}`, r.n]));
  };
  const time = async (fn: () => Promise<Answer>) => {
    const ms: number[] = [];
    let answer: Answer = new Map();
    await fn(); // warm-up
    for (let i = 0; i < REPETITIONS; i++) {
      const t = performance.now();
      answer = await fn();
      ms.push(performance.now() - t);
    }
    return { answer, p50: percentile(ms, 50), p95: percentile(ms, 95) };
  };
  console.log(
    `\n    30-day chart of one organization (${fmt(BULK_EVENTS / (KEYS / KEYS_PER_ORG))} events), day buckets in America/New_York, ${REPETITIONS} runs each:`,
  );
  const rollup = await time(fromRollups);
  const raw = await time(fromRaw);
  const equal = rollup.answer.size === raw.answer.size && [...raw.answer].every(([k, v]) => rollup.answer.get(k) === v);
  const total = [...raw.answer.values()].reduce((s, n) => s + n, 0);
  const ratio = raw.p50 / rollup.p50;
  console.log(
    `    rollups: p50 ${rollup.p50.toFixed(1)} ms, p95 ${rollup.p95.toFixed(1)} ms   (target p95 ≤ 50 ms: ${rollup.p95 <= 50 ? "met" : "MISSED"})`,
  );
  console.log(`    raw:     p50 ${raw.p50.toFixed(1)} ms, p95 ${raw.p95.toFixed(1)} ms`);
  console.log(
    `    speed-up (raw p50 / rollups p50): ${ratio.toFixed(0)}×   (target ≥ 50×: ${ratio >= 50 ? "met" : "MISSED"}); p95 ratio ${(raw.p95 / rollup.p95).toFixed(0)}×`,
  );
  console.log(
    `    answers equal: ${equal ? "yes" : "NO"} (${rollup.answer.size} bucket × outcome cells, ${fmt(total)} requests)`,
  );
  return equal;
}

async function main() {
  console.log(`Keyhold usage benchmark on ${benchUrl.replace(/\/\/[^@]*@/, "//")}`);
  await recreateBenchDatabase("keyhold_bench");
  const client = postgresClient({ connectionString: benchUrl });
  const sql = new Client({ connectionString: benchUrl });
  await sql.connect();
  try {
    const recorded = await benchRecording(client, sql);
    const start = new Date(Date.UTC(2026, 0, 1));
    await bulkLoad(sql, start);
    const charts = await benchCharts(client, start);
    if (!recorded || !charts) process.exitCode = 1;
  } finally {
    await sql.end();
    await client.$disconnect();
  }
}

runMain(main);
