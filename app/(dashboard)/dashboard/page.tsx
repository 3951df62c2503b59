// /dashboard — overview.
import { PageHeader } from "@/components/shell/page-header";
import { NotBuiltYet } from "@/components/shell/not-built-yet";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const { user } = await requireUser();
  return (
    <>
      <PageHeader title="Overview" description={`Signed in as ${user.email}`} />
      <NotBuiltYet what="Usage charts, active keys and recent events arrive with usage monitoring." />
    </>
  );
}
