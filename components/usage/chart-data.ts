// Turns a usage series into the rows the client chart draws: labels formatted on the server in the viewer's zone.
import { USAGE_OUTCOMES, type UsageOutcome } from "@/lib/usage/outcomes";
import type { UsageSeries } from "@/lib/usage/queries";
import { formatBucketLabel } from "@/lib/usage/time-zone";

export type ChartRow = { label: string; total: number } & Partial<Record<UsageOutcome, number>>;

// Chart rows plus the outcomes present in the range, in vocabulary order.
export function toChartData(series: UsageSeries): { rows: ChartRow[]; outcomes: UsageOutcome[] } {
  const present = new Set<UsageOutcome>();
  const rows = series.buckets.map((b) => {
    for (const o of Object.keys(b.outcomes)) present.add(o as UsageOutcome);
    return { label: formatBucketLabel(b.start, series.interval, series.timeZone), total: b.total, ...b.outcomes };
  });
  return { rows, outcomes: USAGE_OUTCOMES.filter((o) => present.has(o)) };
}
