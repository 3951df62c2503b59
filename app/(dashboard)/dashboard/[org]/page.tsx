// /dashboard/[org] — the organization's overview: keys found in public, requests by outcome, success rate, active keys,
// top keys.
import { Suspense } from "react";
import { LeakedKeysNotice } from "@/components/leaks/leaked-keys-notice";
import { PageHeader } from "@/components/shell/page-header";
import { ChartSkeleton } from "@/components/usage/chart-skeleton";
import { OverviewUsage } from "@/components/usage/overview-usage";
import { RANGE_LABELS, RangeTabs, type PresetRange } from "@/components/usage/range-tabs";
import { listLeakedKeys } from "@/lib/leaks/notices";
import { requireMember } from "@/lib/orgs/page";
import { viewerTimeZone } from "@/lib/usage/viewer-time-zone";
import { usageQuerySchema } from "@/lib/validations/usage";

export const metadata = { title: "Overview" };

export default async function OverviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ range?: string }>;
}) {
  const { org: slug } = await params;
  const {
    current: { user },
    member,
  } = await requireMember(slug, `/dashboard/${slug}`);
  const requested = (await searchParams).range;
  const range: PresetRange = requested && requested in RANGE_LABELS ? (requested as PresetRange) : "7d";
  const query = usageQuerySchema().parse({ range, tz: await viewerTimeZone() });
  const leaked = await listLeakedKeys(member.organization.id);
  return (
    <>
      <PageHeader
        title="Overview"
        description={`${member.organization.name} · signed in as ${user.email}`}
        actions={<RangeTabs current={range} basePath={`/dashboard/${slug}`} />}
      />
      <LeakedKeysNotice slug={slug} notices={leaked} />
      <Suspense key={range} fallback={<ChartSkeleton />}>
        <OverviewUsage
          organizationId={member.organization.id}
          slug={slug}
          query={query}
          rangeLabel={RANGE_LABELS[range]}
        />
      </Suspense>
    </>
  );
}
