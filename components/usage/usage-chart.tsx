// <UsageChart>: a self-loading usage chart for one account (optionally one key) over a preset range, in the viewer's zone.
import { getUsageSeries, type UsageScope } from "@/lib/usage/queries";
import { viewerTimeZone } from "@/lib/usage/viewer-time-zone";
import { usageQuerySchema, type UsageRange } from "@/lib/validations/usage";
import { toChartData } from "./chart-data";
import { UsageChartView } from "./usage-chart-view";

export async function UsageChart({
  scope,
  keyId = null,
  range = "7d",
  title = "Requests",
}: {
  scope: UsageScope;
  keyId?: string | null;
  range?: Exclude<UsageRange, "custom">;
  title?: string;
}) {
  const timeZone = await viewerTimeZone();
  const query = usageQuerySchema().parse({ range, tz: timeZone });
  const series = await getUsageSeries({
    scope,
    keyId,
    from: query.from,
    to: query.to,
    interval: query.interval,
    timeZone,
  });
  const { rows, outcomes } = toChartData(series);
  return <UsageChartView rows={rows} outcomes={outcomes} title={title} timeZone={timeZone} />;
}
