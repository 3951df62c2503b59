// /admin — accounts and global governance.
import { PageHeader } from "@/components/shell/page-header";
import { NotBuiltYet } from "@/components/shell/not-built-yet";
import { requireAdmin } from "@/lib/auth/session";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireAdmin();
  return (
    <>
      <PageHeader title="Admin" description="All accounts on this Keyhold instance." />
      <NotBuiltYet what="The accounts table, plans and global usage arrive with usage monitoring." />
    </>
  );
}
