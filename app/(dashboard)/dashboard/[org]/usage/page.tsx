// /dashboard/[org]/usage — the organization's usage by range, interval and key: chart, totals table, CSV export.
import Link from "next/link";
import { Suspense } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { ChartSkeleton } from "@/components/usage/chart-skeleton";
import { UsageFilters } from "@/components/usage/usage-filters";
import { UsageReport } from "@/components/usage/usage-report";
import { requireMember, type OrgPageProps } from "@/lib/orgs/page-guard";
import { listUsageKeys } from "@/lib/usage/keys";
import { isDatabaseTimeZone } from "@/lib/usage/queries";
import { parseUsageQuery } from "@/lib/usage/report";
import { toDateTimeLocal } from "@/lib/usage/time-zone";
import { viewerTimeZone } from "@/lib/usage/viewer-time-zone";
import { usageParams } from "@/lib/validations/usage";

export const metadata = { title: "Usage" };

export default async function UsagePage({
  params: routeParams,
  searchParams,
}: OrgPageProps<Record<string, string | string[] | undefined>>) {
  const { org: slug } = await routeParams;
  const base = `/dashboard/${slug}/usage`;
  const { member } = await requireMember(slug, base);
  const org = member.organization;
  const params = usageParams(await searchParams);
  const viewerZone = await viewerTimeZone(params.tz);
  // Like a zone Intl does not know, one only the database does not know (US/Pacific-New) falls back to UTC.
  const timeZone = (await isDatabaseTimeZone(viewerZone)) ? viewerZone : "UTC";
  const now = new Date();
  const [keys, parsed] = await Promise.all([
    listUsageKeys(org.id),
    parseUsageQuery(org.id, { ...params, tz: timeZone }, now),
  ]);
  const query = parsed.ok ? parsed.query : null;
  const exportHref = query
    ? `${base}/export?${new URLSearchParams({
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        interval: query.interval,
        tz: query.timeZone,
        ...(query.keyId ? { keyId: query.keyId } : {}),
      })}`
    : null;
  const values = {
    range: params.range ?? query?.range ?? "24h",
    from: params.from ?? (query ? toDateTimeLocal(query.from, timeZone) : ""),
    to: params.to ?? (query ? toDateTimeLocal(query.to, timeZone) : ""),
    interval: params.interval ?? "auto",
    keyId: params.keyId ?? "",
  };
  return (
    <>
      <PageHeader
        title="Usage"
        description={`Every verification of ${org.name}'s keys, by outcome.`}
        actions={
          exportHref ? (
            <Link href={exportHref} prefetch={false} className={buttonClass("secondary")}>
              Download CSV
            </Link>
          ) : null
        }
      />
      <UsageFilters
        action={base}
        values={values}
        errors={parsed.ok ? {} : parsed.fieldErrors}
        keys={keys}
        timeZone={timeZone}
      />
      {query ? (
        <Suspense key={JSON.stringify(query)} fallback={<ChartSkeleton />}>
          <UsageReport scope={{ organizationId: org.id }} query={query} />
        </Suspense>
      ) : (
        <Alert tone="warning">Fix the highlighted filter to see usage.</Alert>
      )}
    </>
  );
}
