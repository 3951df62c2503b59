// /admin/audit — the instance-level audit log: what instance administrators did (plans, suspensions, reset links,
// permission catalogue, route table), across organizations and accounts, newest first by cursor.
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/shell/page-header";
import { CursorPager } from "@/components/ui/cursor-pager";
import { listAuditEvents } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth/session";
import { isCursor } from "@/lib/cursor";

export const metadata = { title: "Instance audit log" };

export default async function InstanceAuditPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  await requireAdmin();
  const requested = (await searchParams).cursor;
  const cursor = typeof requested === "string" && isCursor(requested) ? requested : undefined;
  const page = await listAuditEvents({ instance: true }, { cursor, limit: 50 });
  return (
    <>
      <PageHeader
        title="Instance audit log"
        description="What instance administrators did: plans, suspensions, password-reset links, the permission catalogue and the route table. Times are UTC."
      />
      <AuditTable events={page.data} showTarget />
      <CursorPager basePath="/admin/audit" cursor={cursor} nextCursor={page.nextCursor} label="Instance audit log" />
    </>
  );
}
