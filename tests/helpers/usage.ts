// Helpers for usage tests: event factories and a raw-vs-rollup comparison.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { UsageParams } from "@/lib/usage/queries";
import type { RecordUsageInput } from "@/lib/usage/recorder";
import { usageQuerySchema } from "@/lib/validations/usage";

// One verification event with sensible defaults.
export function usageEvent(overrides: Partial<RecordUsageInput> = {}): RecordUsageInput {
  return {
    keyId: "key_a",
    organizationId: "org_a",
    route: "/api/v1/whoami",
    method: "GET",
    status: 200,
    outcome: "valid",
    ip: "203.0.113.7",
    latencyMs: 3,
    ...overrides,
  };
}

type Row = { bucket: Date; keyId: string; outcome: string; count: number; latencySum: number };

// Raw events aggregated per UTC granularity, and the matching rollup rows, both sorted, for exact comparison.
export async function rawAndRollup(client: PrismaClient, granularity: "minute" | "hour" | "day") {
  const raw = await client.$queryRaw<Row[]>`
    SELECT date_trunc(${granularity}, "ts", 'UTC') AS bucket, "keyId", "outcome", count(*)::float8 AS count, sum("latencyMs")::float8 AS "latencySum"
    FROM "UsageEvent" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;
  const rollup = await client.$queryRaw<Row[]>`
    SELECT "bucket", "keyId", "outcome", "count"::float8 AS count, "latencySum"
    FROM "UsageRollup" WHERE "granularity" = ${granularity} ORDER BY 1, 2, 3`;
  return { raw, rollup };
}

// An organization's last `range` viewed in `tz` at `now`: the query as the usage schema parses ?range=&tz=, and the
// params lib/usage/queries takes for it.
export function rangeQuery(organizationId: string, range: "24h" | "7d", tz: string, now: Date) {
  const query = usageQuerySchema(now).parse({ range, tz });
  const { from, to, interval } = query;
  const params: UsageParams = { scope: { organizationId }, from, to, interval, timeZone: tz, now };
  return { query, params };
}
