// Dashboard overview: requests, success rate, active keys, the stacked chart and the top 5 keys for a preset range.
import { countActiveKeys } from "@/lib/usage/keys";
import { getUsageReport } from "@/lib/usage/report";
import type { UsageQuery } from "@/lib/validations/usage";
import { toChartData } from "./chart-data";
import { StatCard } from "./stat-card";
import { TopKeys } from "./top-keys";
import { UsageChartView } from "./usage-chart-view";
import { formatRate } from "./format";

export async function OverviewUsage({
  organizationId,
  slug,
  query,
  rangeLabel,
}: {
  organizationId: string;
  slug: string;
  query: UsageQuery;
  rangeLabel: string;
}) {
  const [{ series, totals }, activeKeys] = await Promise.all([
    getUsageReport({ organizationId }, query),
    countActiveKeys(organizationId),
  ]);
  const { rows, outcomes } = toChartData(series);
  return (
    <div className="space-y-6">
      <div className="grid gap-4 sm:grid-cols-3">
        <StatCard label={`Requests, ${rangeLabel}`} value={totals.total.toLocaleString("en-US")} />
        <StatCard label="Success rate" value={formatRate(totals.successRate)} />
        <StatCard label="Active keys" value={activeKeys.toLocaleString("en-US")} hint="Not revoked and not expired" />
      </div>
      <UsageChartView
        rows={rows}
        outcomes={outcomes}
        title={`Requests by outcome, ${rangeLabel}`}
        timeZone={series.timeZone}
      />
      <TopKeys keys={totals.keys.slice(0, 5)} usagePath={`/dashboard/${slug}/usage`} />
    </div>
  );
}
