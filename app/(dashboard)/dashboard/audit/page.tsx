// /dashboard/audit — Audit log.
import { PageHeader } from "@/components/shell/page-header";
import { NotBuiltYet } from "@/components/shell/not-built-yet";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Audit log" };

export default async function AuditlogPage() {
  await requireUser("/dashboard/audit");
  return (
    <>
      <PageHeader title="Audit log" />
      <NotBuiltYet what="The audit log arrives with API keys." />
    </>
  );
}
