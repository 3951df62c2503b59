// /dashboard — overview: requests by outcome, success rate, active keys, top keys.
import { Suspense } from "react";
import { PageHeader } from "@/components/shell/page-header";
import { ChartSkeleton } from "@/components/usage/chart-skeleton";
import { OverviewUsage } from "@/components/usage/overview-usage";
import { RANGE_LABELS, RangeTabs, type PresetRange } from "@/components/usage/range-tabs";
import { requireUser } from "@/lib/auth/session";
import { viewerTimeZone } from "@/lib/usage/viewer-time-zone";
import { usageQuerySchema } from "@/lib/validations/usage";

export const metadata = { title: "Overview" };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<{ range?: string }> }) {
  const { user } = await requireUser();
  const requested = (await searchParams).range;
  const range: PresetRange = requested && requested in RANGE_LABELS ? (requested as PresetRange) : "7d";
  const query = usageQuerySchema().parse({ range, tz: await viewerTimeZone() });
  return (
    <>
      <PageHeader
        title="Overview"
        description={`Signed in as ${user.email}`}
        actions={<RangeTabs current={range} basePath="/dashboard" />}
      />
      <Suspense key={range} fallback={<ChartSkeleton />}>
        <OverviewUsage userId={user.id} query={query} rangeLabel={RANGE_LABELS[range]} />
      </Suspense>
    </>
  );
}
