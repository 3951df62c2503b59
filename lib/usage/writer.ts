// Batch writer: inserts raw usage events and upserts their minute/hour/day rollups in one transaction.
import { queryOnDriver } from "../db";
import type { PrismaClient } from "../generated/prisma/client";
import type { UsageOutcome } from "./outcomes";

export interface UsageEventInput {
  keyId: string;
  organizationId: string;
  ts: Date;
  route: string;
  method: string;
  status: number;
  outcome: UsageOutcome;
  ip: string | null;
  latencyMs: number;
  // Credits spent (0, or omitted, when refused or free).
  cost?: number;
}

// Distinct strings of a batch, numbered from 1 as PostgreSQL arrays count (0 reads as NULL in SQL).
class Dictionary {
  readonly values: string[] = [];
  private readonly numbers = new Map<string, number>();

  number(value: string): number {
    let n = this.numbers.get(value);
    if (n === undefined) {
      this.values.push(value);
      this.numbers.set(value, (n = this.values.length));
    }
    return n;
  }
}

// A list of numbers as PostgreSQL's array text, written here: the driver would quote and escape every element.
function arrayLiteral(numbers: number[]): string {
  return `{${numbers.join(",")}}`;
}

// The events come in as columns ($5…$13: numbers, the strings as positions in the dictionaries $1…$4), raw rows go into
// UsageEvent and their rollups are upserted, locked in one order (granularity, bucket, key, outcome) so that
// concurrent writers never deadlock.
const WRITE_BATCH = `
  WITH src AS (
    SELECT ($1::text[])[u.k] AS "keyId", ($2::text[])[u.k] AS "organizationId",
      timestamptz 'epoch' + u.t * interval '1 millisecond' AS "ts", ($3::text[])[u.r] AS "route",
      ($3::text[])[u.m] AS "method", u.s AS "status", ($3::text[])[u.o] AS "outcome", ($4::text[])[u.ip] AS "ip",
      u.l AS "latencyMs", u.c AS "cost"
    FROM unnest($5::int[], $6::int8[], $7::int[], $8::int[], $9::int[], $10::int[], $11::int[], $12::float8[], $13::int[])
      AS u(k, t, r, m, s, o, ip, l, c)
  ),
  events AS (
    INSERT INTO "UsageEvent" ("keyId", "organizationId", "ts", "route", "method", "status", "outcome", "ip", "latencyMs", "cost")
    SELECT "keyId", "organizationId", "ts", "route", "method", "status", "outcome", "ip", "latencyMs", "cost" FROM src
  )
  INSERT INTO "UsageRollup" ("granularity", "bucket", "keyId", "organizationId", "outcome", "count", "latencySum", "credits")
  SELECT g.granularity, date_trunc(g.granularity, src."ts", 'UTC'), src."keyId", src."organizationId", src."outcome",
    count(*)::int, sum(src."latencyMs"), sum(src."cost")::int
  FROM src CROSS JOIN (VALUES ('day'), ('hour'), ('minute')) AS g(granularity)
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 5
  ON CONFLICT ("granularity", "bucket", "keyId", "outcome")
  DO UPDATE SET "count" = "UsageRollup"."count" + excluded."count",
    "latencySum" = "UsageRollup"."latencySum" + excluded."latencySum", "credits" = "UsageRollup"."credits" + excluded."credits"`;

// Writes one batch in one statement, so raw rows and their minute/hour/day rollups commit together (rollups always
// equal the raw aggregates). The events travel as columns: one PostgreSQL array of numbers per field, the strings
// (keys, organizations, routes, methods, outcomes, addresses) once each in small dictionaries that the numbers point
// into, and PostgreSQL aggregates the rollups itself. Per event that is a few numbers to serialise in this process,
// where a list of JSON objects spelt every field name and string out again for every event.
export async function writeUsageBatch(client: PrismaClient, events: readonly UsageEventInput[]): Promise<void> {
  const n = events.length;
  if (n === 0) return;
  const keys = new Dictionary();
  const organizations: string[] = [];
  const words = new Dictionary();
  const ips = new Dictionary();
  const key = new Array<number>(n);
  const ts = new Array<number>(n);
  const route = new Array<number>(n);
  const method = new Array<number>(n);
  const status = new Array<number>(n);
  const outcome = new Array<number>(n);
  const ip = new Array<number>(n);
  const latency = new Array<number>(n);
  const cost = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const e = events[i];
    const k = keys.number(e.keyId);
    organizations[k - 1] = e.organizationId;
    key[i] = k;
    ts[i] = e.ts.getTime();
    route[i] = words.number(e.route);
    method[i] = words.number(e.method);
    status[i] = e.status;
    outcome[i] = words.number(e.outcome);
    ip[i] = e.ip === null ? 0 : ips.number(e.ip);
    latency[i] = e.latencyMs;
    cost[i] = e.cost ?? 0;
  }
  await queryOnDriver(client, WRITE_BATCH, [
    keys.values,
    organizations,
    words.values,
    ips.values,
    ...[key, ts, route, method, status, outcome, ip, latency, cost].map(arrayLiteral),
  ]);
}
