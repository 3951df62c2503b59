// /dashboard/[org]/audit — the organization's events (keys, members, policies, requests) with their actors, newest
// first by cursor.
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/shell/page-header";
import { CursorPager } from "@/components/ui/cursor-pager";
import { listAuditEvents } from "@/lib/audit";
import { requireMember } from "@/lib/orgs/page";

export const metadata = { title: "Audit log" };

export default async function AuditLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<{ cursor?: string }>;
}) {
  const { org: slug } = await params;
  const base = `/dashboard/${slug}/audit`;
  const { member } = await requireMember(slug, base);
  const { cursor } = await searchParams;
  const page = await listAuditEvents({ organizationId: member.organization.id }, { cursor, limit: 50 });
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Key, member and policy changes in ${member.organization.name}, newest first. Times are UTC.`}
      />
      <AuditTable events={page.data} />
      <CursorPager basePath={base} cursor={cursor} nextCursor={page.nextCursor} label="Audit log" />
    </>
  );
}
