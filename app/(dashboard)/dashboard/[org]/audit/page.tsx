// /dashboard/[org]/audit — the organization's events (keys, members, policies, requests) with their actors, newest
// first by cursor; admins and owners download them as NDJSON.
import Link from "next/link";
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClass } from "@/components/ui/button";
import { CursorPager } from "@/components/ui/cursor-pager";
import { listAuditEvents } from "@/lib/audit";
import { isCursor } from "@/lib/cursor";
import { requireMember, type OrgPageProps } from "@/lib/orgs/page-guard";
import { can } from "@/lib/orgs/roles";

export const metadata = { title: "Audit log" };

export default async function AuditLogPage({ params, searchParams }: OrgPageProps<{ cursor?: string }>) {
  const { org: slug } = await params;
  const base = `/dashboard/${slug}/audit`;
  const { member } = await requireMember(slug, base);
  const requested = (await searchParams).cursor;
  // A cursor from an old link or typed by hand starts again at the newest events.
  const cursor = typeof requested === "string" && isCursor(requested) ? requested : undefined;
  const page = await listAuditEvents({ organizationId: member.organization.id }, { cursor, limit: 50 });
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Key, member and policy changes in ${member.organization.name}, newest first. Times are UTC.`}
        actions={
          can(member, "audit.read") ? (
            <Link href={`${base}/export`} prefetch={false} className={buttonClass("secondary")}>
              Download NDJSON
            </Link>
          ) : null
        }
      />
      <AuditTable events={page.data} />
      <CursorPager basePath={base} cursor={cursor} nextCursor={page.nextCursor} label="Audit log" />
    </>
  );
}
