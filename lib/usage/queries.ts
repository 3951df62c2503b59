// Usage reads for charts, tables, CSV and the API — from rollups only, never from raw events.
import { ApiError } from "../errors";
import { db } from "../db";
import { env } from "../env";
import { Prisma, type PrismaClient } from "../generated/prisma/client";
import { INTERVAL_MS, type UsageInterval } from "../validations/usage";
import { USAGE_OUTCOMES, type UsageOutcome } from "./outcomes";
import { minuteRollupCutoff } from "./retention";
import { isUtcZone } from "./time-zone";

// One account's usage, or (administrators) every account's.
export type UsageScope = { organizationId: string } | { all: true };

export interface UsageParams {
  scope: UsageScope;
  keyId?: string | null;
  from: Date;
  to: Date;
  interval: UsageInterval;
  timeZone: string;
  now?: Date;
}

export type OutcomeCounts = Partial<Record<UsageOutcome, number>>;

export interface UsageBucket {
  start: Date;
  total: number;
  outcomes: OutcomeCounts;
  avgLatencyMs: number | null;
  // Credits spent.
  credits: number;
}

export interface UsageSeries {
  from: Date;
  to: Date;
  interval: UsageInterval;
  timeZone: string;
  buckets: UsageBucket[];
}

export interface KeyTotals {
  keyId: string;
  name: string;
  prefix: string | null;
  total: number;
  outcomes: OutcomeCounts;
  avgLatencyMs: number | null;
  // Credits spent.
  credits: number;
}

export interface UsageTotals {
  from: Date;
  to: Date;
  total: number;
  outcomes: OutcomeCounts;
  successRate: number | null;
  avgLatencyMs: number | null;
  credits: number;
  keys: KeyTotals[];
}

interface Aggregate {
  outcome: string;
  count: number;
  latencySum: number;
  credits: number;
}

let databaseZones: Promise<Set<string>> | undefined;

// Whether the database knows a zone (names compare case-insensitively, as PostgreSQL's do). Intl and PostgreSQL ship
// different tz databases (US/Pacific-New is still in ICU's), and a zone PostgreSQL does not know fails the whole query.
// The list is read once per process; a failed read is not kept, so the next request tries again.
export async function isDatabaseTimeZone(timeZone: string, client: PrismaClient = db): Promise<boolean> {
  databaseZones ??= client.$queryRaw<{ name: string }[]>`SELECT name FROM pg_timezone_names`.then(
    (rows) => new Set(rows.map((r) => r.name.toLowerCase())),
    (err: unknown) => {
      databaseZones = undefined;
      throw err;
    },
  );
  return (await databaseZones).has(timeZone.toLowerCase());
}

// The buckets of a range: their starts, and the end of the last one.
type BucketRange = { starts: Date[]; end: Date };

// The buckets covering [from, to). Day buckets are local days in the zone (23 or 25 hours across DST).
async function bucketRange(
  client: PrismaClient,
  from: Date,
  to: Date,
  interval: UsageInterval,
  timeZone: string,
): Promise<BucketRange> {
  if (interval === "day" && !(await isDatabaseTimeZone(timeZone, client)))
    throw new ApiError("invalid_request", "Unknown time zone", "tz");
  if (interval !== "day") {
    const step = INTERVAL_MS[interval];
    const first = Math.floor(from.getTime() / step) * step;
    const end = Math.ceil(to.getTime() / step) * step;
    const starts: Date[] = [];
    for (let t = first; t < end; t += step) starts.push(new Date(t));
    return { starts, end: new Date(end) };
  }
  const rows = await client.$queryRaw<{ start: Date }[]>`
    SELECT (d AT TIME ZONE ${timeZone}) AS start
    FROM generate_series(
      ((${from.toISOString()}::timestamptz AT TIME ZONE ${timeZone})::date)::timestamp,
      (((${to.toISOString()}::timestamptz - interval '1 millisecond') AT TIME ZONE ${timeZone})::date + 1)::timestamp,
      interval '1 day') AS d
    ORDER BY 1`;
  const all = rows.map((r) => r.start);
  return { starts: all.slice(0, -1), end: all[all.length - 1] };
}

function scopeFilter(alias: string, scope: UsageScope, keyId: string | null | undefined): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const parts: Prisma.Sql[] = [];
  if ("organizationId" in scope) parts.push(Prisma.sql`${col("organizationId")} = ${scope.organizationId}`);
  if (keyId) parts.push(Prisma.sql`${col("keyId")} = ${keyId}`);
  return parts.length ? Prisma.sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty;
}

// Rollup rows (b = chart bucket start, keyId, outcome, count, latencySum) for the range, from the cheapest granularity that is exact.
function rollupSource(p: UsageParams, start: Date, end: Date): Prisma.Sql {
  const s = start.toISOString();
  const e = end.toISOString();
  const filter = scopeFilter("r", p.scope, p.keyId);
  const plain = (granularity: string) => Prisma.sql`
    SELECT r."bucket" AS b, r."keyId", r."outcome", r."count", r."latencySum", r."credits" FROM "UsageRollup" r
    WHERE r."granularity" = ${granularity} AND r."bucket" >= ${s}::timestamptz AND r."bucket" < ${e}::timestamptz ${filter}`;
  if (p.interval !== "day") return plain(p.interval);
  if (isUtcZone(p.timeZone)) return plain("day");
  // Local days from hour rollups; an hour that a local midnight cuts (zones at :30/:45 offsets) comes from its minute rollups
  // while those are kept (2 × retention), after that the whole hour counts for the day it starts in.
  const tz = p.timeZone;
  const cutoff = minuteRollupCutoff(p.now ?? new Date(), env().USAGE_RETENTION_DAYS).toISOString();
  return Prisma.sql`
    WITH cut AS (
      SELECT h FROM generate_series(date_trunc('hour', ${s}::timestamptz, 'UTC'), ${e}::timestamptz, interval '1 hour') AS h
      WHERE h >= ${cutoff}::timestamptz AND date_trunc('day', h, ${tz}) <> date_trunc('day', h + interval '59 minutes', ${tz})
    )
    SELECT * FROM (
      SELECT date_trunc('day', r."bucket", ${tz}) AS b, r."keyId", r."outcome", r."count", r."latencySum", r."credits" FROM "UsageRollup" r
      WHERE r."granularity" = 'hour' AND r."bucket" >= date_trunc('hour', ${s}::timestamptz, 'UTC') AND r."bucket" < ${e}::timestamptz
        AND r."bucket" NOT IN (SELECT h FROM cut) ${filter}
      UNION ALL
      SELECT date_trunc('day', r."bucket", ${tz}) AS b, r."keyId", r."outcome", r."count", r."latencySum", r."credits"
      FROM cut JOIN "UsageRollup" r ON r."granularity" = 'minute' AND r."bucket" >= cut.h AND r."bucket" < cut.h + interval '1 hour'
      WHERE true ${filter}
    ) AS src WHERE src.b >= ${s}::timestamptz AND src.b < ${e}::timestamptz`;
}

function addOutcome(target: OutcomeCounts, outcome: string, count: number) {
  const o = outcome as UsageOutcome;
  target[o] = (target[o] ?? 0) + count;
}

function sortOutcomes(counts: OutcomeCounts): OutcomeCounts {
  const out: OutcomeCounts = {};
  for (const o of USAGE_OUTCOMES) if (counts[o]) out[o] = counts[o];
  return out;
}

const avg = (sum: number, count: number) => (count ? Math.round((sum / count) * 100) / 100 : null);

const rangeOf = (p: UsageParams, client: PrismaClient) => bucketRange(client, p.from, p.to, p.interval, p.timeZone);

// Time series: one bucket per minute, hour or local day of the range (zero-filled), counts per outcome and average latency.
export async function getUsageSeries(p: UsageParams, client: PrismaClient = db): Promise<UsageSeries> {
  return seriesOver(p, await rangeOf(p, client), client);
}

// Totals over the same buckets as getUsageSeries: per outcome and per key (busiest first), with the success rate.
export async function getUsageTotals(p: UsageParams, client: PrismaClient = db): Promise<UsageTotals> {
  return totalsOver(p, await rangeOf(p, client), client);
}

// The series and the totals of one range, its buckets computed once (for a day interval, that is a query).
export async function getUsageSeriesAndTotals(
  p: UsageParams,
  client: PrismaClient = db,
): Promise<{ series: UsageSeries; totals: UsageTotals }> {
  const range = await rangeOf(p, client);
  const [series, totals] = await Promise.all([seriesOver(p, range, client), totalsOver(p, range, client)]);
  return { series, totals };
}

async function seriesOver(p: UsageParams, { starts, end }: BucketRange, client: PrismaClient): Promise<UsageSeries> {
  const start = starts[0] ?? end;
  const rows = await client.$queryRaw<(Aggregate & { b: Date })[]>`
    SELECT b, "outcome", sum("count")::float8 AS count, sum("latencySum")::float8 AS "latencySum",
      sum("credits")::float8 AS credits
    FROM (${rollupSource(p, start, end)}) AS x GROUP BY 1, 2`;
  const byStart = new Map<number, { outcomes: OutcomeCounts; total: number; latencySum: number; credits: number }>();
  for (const t of starts) byStart.set(t.getTime(), { outcomes: {}, total: 0, latencySum: 0, credits: 0 });
  for (const r of rows) {
    const bucket = byStart.get(r.b.getTime());
    if (!bucket) continue;
    addOutcome(bucket.outcomes, r.outcome, r.count);
    bucket.total += r.count;
    bucket.latencySum += r.latencySum;
    bucket.credits += r.credits;
  }
  return {
    from: start,
    to: end,
    interval: p.interval,
    timeZone: p.timeZone,
    buckets: starts.map((t) => {
      const b = byStart.get(t.getTime())!;
      return {
        start: t,
        total: b.total,
        outcomes: sortOutcomes(b.outcomes),
        avgLatencyMs: avg(b.latencySum, b.total),
        credits: b.credits,
      };
    }),
  };
}

async function totalsOver(p: UsageParams, { starts, end }: BucketRange, client: PrismaClient): Promise<UsageTotals> {
  const start = starts[0] ?? end;
  const rows = await client.$queryRaw<(Aggregate & { keyId: string })[]>`
    SELECT "keyId", "outcome", sum("count")::float8 AS count, sum("latencySum")::float8 AS "latencySum",
      sum("credits")::float8 AS credits
    FROM (${rollupSource(p, start, end)}) AS x GROUP BY 1, 2`;
  const keys = await client.apiKey.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.keyId))] } },
    select: { id: true, name: true, prefix: true },
  });
  const names = new Map(keys.map((k) => [k.id, k]));
  const perKey = new Map<string, KeyTotals & { latencySum: number }>();
  const outcomes: OutcomeCounts = {};
  let total = 0;
  let latencySum = 0;
  let credits = 0;
  for (const r of rows) {
    let k = perKey.get(r.keyId);
    if (!k) {
      const meta = names.get(r.keyId);
      k = {
        keyId: r.keyId,
        name: meta?.name ?? "(deleted key)",
        prefix: meta?.prefix ?? null,
        total: 0,
        outcomes: {},
        avgLatencyMs: null,
        credits: 0,
        latencySum: 0,
      };
      perKey.set(r.keyId, k);
    }
    addOutcome(k.outcomes, r.outcome, r.count);
    k.total += r.count;
    k.latencySum += r.latencySum;
    k.credits += r.credits;
    addOutcome(outcomes, r.outcome, r.count);
    total += r.count;
    latencySum += r.latencySum;
    credits += r.credits;
  }
  return {
    from: start,
    to: end,
    total,
    outcomes: sortOutcomes(outcomes),
    successRate: total ? (outcomes.valid ?? 0) / total : null,
    avgLatencyMs: avg(latencySum, total),
    credits,
    keys: [...perKey.values()]
      .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name))
      .map(({ latencySum: ls, ...k }) => ({
        ...k,
        outcomes: sortOutcomes(k.outcomes),
        avgLatencyMs: avg(ls, k.total),
      })),
  };
}

export interface UsageRow {
  start: Date;
  keyId: string;
  outcome: UsageOutcome;
  count: number;
  avgLatencyMs: number | null;
}

// Bucket × key × outcome rows over the same buckets (for CSV export): they sum to getUsageTotals.
export async function getUsageRows(p: UsageParams, client: PrismaClient = db): Promise<UsageRow[]> {
  const { starts, end } = await rangeOf(p, client);
  const rows = await client.$queryRaw<(Aggregate & { b: Date; keyId: string })[]>`
    SELECT b, "keyId", "outcome", sum("count")::float8 AS count, sum("latencySum")::float8 AS "latencySum",
      sum("credits")::float8 AS credits
    FROM (${rollupSource(p, starts[0] ?? end, end)}) AS x GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
  return rows.map((r) => ({
    start: r.b,
    keyId: r.keyId,
    outcome: r.outcome as UsageOutcome,
    count: r.count,
    avgLatencyMs: avg(r.latencySum, r.count),
  }));
}

// Requests per organization over the last 24 hours (hour rollups), for the admin organizations table.
export async function requestsLast24hByOrganization(
  now = new Date(),
  client: PrismaClient = db,
): Promise<Map<string, number>> {
  const since = new Date(Math.floor((now.getTime() - 86_400_000) / 3_600_000) * 3_600_000).toISOString();
  const rows = await client.$queryRaw<{ organizationId: string; count: number }[]>`
    SELECT "organizationId", sum("count")::float8 AS count FROM "UsageRollup"
    WHERE "granularity" = 'hour' AND "bucket" >= ${since}::timestamptz GROUP BY 1`;
  return new Map(rows.map((r) => [r.organizationId, r.count]));
}
