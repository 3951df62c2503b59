// /dashboard/[org] — the organization's overview: keys found in public, requests by outcome, success rate, active keys,
// top keys; an organization with no key yet starts with the call to make its first one.
import Link from "next/link";
import { Suspense } from "react";
import { LeakedKeysNotice } from "@/components/leaks/leaked-keys-notice";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClass } from "@/components/ui/button";
import { ChartSkeleton } from "@/components/usage/chart-skeleton";
import { OverviewUsage } from "@/components/usage/overview-usage";
import { RANGE_LABELS, RangeTabs, type PresetRange } from "@/components/usage/range-tabs";
import { hasAnyKey } from "@/lib/keys/list";
import { listLeakedKeys } from "@/lib/leaks/notices";
import { approvalApplies, policiesOf } from "@/lib/orgs/policies";
import { can } from "@/lib/orgs/roles";
import { requireMember, type OrgPageProps } from "@/lib/orgs/page-guard";
import { viewerTimeZone } from "@/lib/usage/viewer-time-zone";
import { usageQuerySchema } from "@/lib/validations/usage";

export const metadata = { title: "Overview" };

export default async function OverviewPage({ params, searchParams }: OrgPageProps<{ range?: string }>) {
  const { org: slug } = await params;
  const {
    current: { user },
    member,
  } = await requireMember(slug, `/dashboard/${slug}`);
  const requested = (await searchParams).range;
  const range: PresetRange = requested && requested in RANGE_LABELS ? (requested as PresetRange) : "7d";
  const query = usageQuerySchema().parse({ range, tz: await viewerTimeZone() });
  const org = member.organization;
  const [leaked, anyKey] = await Promise.all([listLeakedKeys(org.id), hasAnyKey(org.id)]);
  const mayCreate = can(member, "keys.create") && !org.suspendedAt;
  // Where this member gets a first key: the Keys page (Generate), or a key request when every key of theirs needs one.
  const firstKeyHref = approvalApplies(policiesOf(org), member.role).always
    ? `/dashboard/${slug}/requests/new`
    : `/dashboard/${slug}/keys`;
  return (
    <>
      <PageHeader
        title="Overview"
        description={`${member.organization.name} · signed in as ${user.email}`}
        actions={<RangeTabs current={range} basePath={`/dashboard/${slug}`} />}
      />
      <LeakedKeysNotice slug={slug} notices={leaked} />
      {anyKey ? null : (
        <section
          aria-labelledby="first-key-heading"
          className="mb-6 rounded-xl border border-brand-100 bg-brand-50 p-5"
        >
          <h2 id="first-key-heading" className="font-semibold">
            {org.name} has no API keys yet
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            {mayCreate
              ? "Create the first one: its secret is shown once, then your service sends it as a Bearer token."
              : "A developer or an administrator of this organization creates its keys; they will show here."}
          </p>
          {mayCreate ? (
            <Link href={firstKeyHref} className={`mt-3 ${buttonClass()}`}>
              Create your first key
            </Link>
          ) : null}
        </section>
      )}
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
