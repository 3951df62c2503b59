// /dashboard/audit — the account's security events (sign-ins, key changes), newest first by cursor.
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/shell/page-header";
import { CursorPager } from "@/components/ui/cursor-pager";
import { listAuditEvents } from "@/lib/audit";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Audit log" };

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<{ cursor?: string }> }) {
  const { user } = await requireUser("/dashboard/audit");
  const { cursor } = await searchParams;
  const page = await listAuditEvents(user.id, { cursor, limit: 50 });
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Sign-ins and key changes on your account, newest first. Times are UTC."
      />
      <AuditTable events={page.data} />
      <CursorPager basePath="/dashboard/audit" cursor={cursor} nextCursor={page.nextCursor} label="Audit log" />
    </>
  );
}
