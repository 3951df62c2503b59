// The usage page's results: headline numbers, the stacked chart and the totals table, all from one query.
import { getUsageReport } from "@/lib/usage/report";
import type { UsageScope } from "@/lib/usage/queries";
import type { UsageQuery } from "@/lib/validations/usage";
import { toChartData } from "./chart-data";
import { formatRate } from "./format";
import { StatCard } from "./stat-card";
import { UsageChartView } from "./usage-chart-view";
import { UsageTotalsTable } from "./usage-totals-table";

export async function UsageReport({
  scope,
  query,
  title = "Requests by outcome",
}: {
  scope: UsageScope;
  query: UsageQuery;
  title?: string;
}) {
  const { series, totals } = await getUsageReport(scope, query);
  const { rows, outcomes } = toChartData(series);
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-4">
        <StatCard label="Requests" value={totals.total.toLocaleString("en-US")} />
        <StatCard
          label="Credits spent"
          value={totals.credits.toLocaleString("en-US")}
          hint="By verifications of keys with credits"
        />
        <StatCard
          label="Success rate"
          value={formatRate(totals.successRate)}
          hint="Valid requests among all verified"
        />
        <StatCard label="Average latency" value={totals.avgLatencyMs === null ? "–" : `${totals.avgLatencyMs} ms`} />
      </div>
      <UsageChartView
        rows={rows}
        outcomes={outcomes}
        title={`${title} (per ${series.interval})`}
        timeZone={series.timeZone}
      />
      <UsageTotalsTable totals={totals} caption="Totals by key and outcome" />
    </div>
  );
}
