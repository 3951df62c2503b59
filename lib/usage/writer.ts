// Batch writer: inserts raw usage events and upserts their minute/hour/day rollups in one transaction.
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

const GRANULARITIES = ["minute", "hour", "day"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const STEP_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

// Start of the UTC minute, hour or day holding `ms`.
function bucketStart(ms: number, granularity: Granularity): number {
  return ms - (((ms % STEP_MS[granularity]) + STEP_MS[granularity]) % STEP_MS[granularity]);
}

interface RollupIncrement {
  granularity: Granularity;
  bucket: number;
  keyId: string;
  organizationId: string;
  outcome: string;
  count: number;
  latencySum: number;
  credits: number;
}

// Aggregates events into one increment per (granularity, bucket, key, outcome), sorted so concurrent writers lock rows in the same order.
function rollupIncrements(events: readonly UsageEventInput[]): RollupIncrement[] {
  const byKey = new Map<string, RollupIncrement>();
  for (const e of events) {
    const ms = e.ts.getTime();
    for (const granularity of GRANULARITIES) {
      const bucket = bucketStart(ms, granularity);
      const id = `${granularity}|${bucket}|${e.keyId}|${e.outcome}`;
      const row = byKey.get(id);
      if (row) {
        row.count += 1;
        row.latencySum += e.latencyMs;
        row.credits += e.cost ?? 0;
      } else {
        byKey.set(id, {
          granularity,
          bucket,
          keyId: e.keyId,
          organizationId: e.organizationId,
          outcome: e.outcome,
          count: 1,
          latencySum: e.latencyMs,
          credits: e.cost ?? 0,
        });
      }
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.granularity.localeCompare(b.granularity) ||
      a.bucket - b.bucket ||
      a.keyId.localeCompare(b.keyId) ||
      a.outcome.localeCompare(b.outcome),
  );
}

// Writes one batch in one statement (so raw rows and rollup increments commit together, and rollups always equal the raw
// aggregates). Each list travels as one JSON parameter: serialising 5000 events is one JSON.stringify, where nine
// PostgreSQL arrays would escape every element in JavaScript.
export async function writeUsageBatch(client: PrismaClient, events: readonly UsageEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const rollups = rollupIncrements(events).map((r) => ({ ...r, bucket: new Date(r.bucket) }));
  await client.$executeRaw`
    WITH events AS (
      INSERT INTO "UsageEvent" ("keyId", "organizationId", "ts", "route", "method", "status", "outcome", "ip", "latencyMs", "cost")
      SELECT "keyId", "organizationId", "ts", "route", "method", "status", "outcome", "ip", "latencyMs", COALESCE("cost", 0)
      FROM json_populate_recordset(NULL::"UsageEvent", ${JSON.stringify(events)}::json)
    )
    INSERT INTO "UsageRollup" ("granularity", "bucket", "keyId", "organizationId", "outcome", "count", "latencySum", "credits")
    SELECT "granularity", "bucket", "keyId", "organizationId", "outcome", "count", "latencySum", "credits"
    FROM json_populate_recordset(NULL::"UsageRollup", ${JSON.stringify(rollups)}::json)
    ON CONFLICT ("granularity", "bucket", "keyId", "outcome")
    DO UPDATE SET "count" = "UsageRollup"."count" + excluded."count", "latencySum" = "UsageRollup"."latencySum" + excluded."latencySum",
      "credits" = "UsageRollup"."credits" + excluded."credits"`;
}
