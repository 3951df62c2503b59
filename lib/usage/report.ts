// Usage reports for one account: validates the query (shared schema), checks the key belongs to the account, then reads rollups.
import { db } from "../db";
import { ApiError } from "../errors";
import { fieldErrors, type FieldErrors } from "../validations/field-errors";
import { usageQuerySchema, type UsageParamsInput, type UsageQuery } from "../validations/usage";
import { getUsageSeriesAndTotals, type UsageParams, type UsageScope } from "./queries";

export type ParsedUsageQuery =
  | { ok: true; query: UsageQuery }
  | { ok: false; code: "invalid_request" | "not_found"; message: string; fieldErrors: FieldErrors };

// Parses usage parameters for an account: 400-style field errors for bad input, not_found for a key that is not the account's.
export async function parseUsageQuery(
  organizationId: string | null,
  params: Record<string, string | undefined>,
  now = new Date(),
): Promise<ParsedUsageQuery> {
  const parsed = usageQuerySchema(now).safeParse(params);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    const [field, message] = Object.entries(errors)[0];
    return { ok: false, code: "invalid_request", message: `${field}: ${message}`, fieldErrors: errors };
  }
  const { keyId } = parsed.data;
  if (keyId) {
    const key = await db.apiKey.findFirst({
      where: { id: keyId, ...(organizationId ? { organizationId } : {}) },
      select: { id: true },
    });
    if (!key)
      return { ok: false, code: "not_found", message: "keyId: no such key", fieldErrors: { keyId: "Unknown key" } };
  }
  return { ok: true, query: parsed.data };
}

// The series and totals parameters for a validated query.
export function usageParamsFor(scope: UsageScope, query: UsageQuery, now = new Date()): UsageParams {
  return {
    scope,
    keyId: query.keyId,
    from: query.from,
    to: query.to,
    interval: query.interval,
    timeZone: query.timeZone,
    now,
  };
}

// Series and totals of one query: what the charts and the totals table show.
export async function getUsageReport(scope: UsageScope, query: UsageQuery, now = new Date()) {
  return getUsageSeriesAndTotals(usageParamsFor(scope, query, now));
}

// GET /api/v1/usage body: the series and totals of the account's usage; bad parameters throw ApiError (400 invalid_request
// naming the parameter, 404 not_found for a key that is not the account's), mapped to HTTP by lib/api/responses.ts.
export async function usageForApi(organizationId: string, params: UsageParamsInput, now = new Date()) {
  const parsed = await parseUsageQuery(organizationId, params, now);
  if (!parsed.ok) {
    const [field, message = parsed.message] = Object.entries(parsed.fieldErrors)[0];
    throw new ApiError(parsed.code, message, field);
  }
  const { query } = parsed;
  const { series, totals } = await getUsageReport({ organizationId }, query, now);
  return {
    from: series.from.toISOString(),
    to: series.to.toISOString(),
    interval: series.interval,
    timeZone: series.timeZone,
    keyId: query.keyId,
    data: series.buckets.map((b) => ({
      start: b.start.toISOString(),
      total: b.total,
      outcomes: b.outcomes,
      avgLatencyMs: b.avgLatencyMs,
      credits: b.credits,
    })),
    totals: {
      total: totals.total,
      outcomes: totals.outcomes,
      successRate: totals.successRate,
      credits: totals.credits,
      keys: totals.keys.map((k) => ({
        keyId: k.keyId,
        name: k.name,
        prefix: k.prefix,
        total: k.total,
        outcomes: k.outcomes,
        credits: k.credits,
      })),
    },
  };
}
