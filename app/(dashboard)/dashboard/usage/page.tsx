// /dashboard/usage — Usage.
import { PageHeader } from "@/components/shell/page-header";
import { NotBuiltYet } from "@/components/shell/not-built-yet";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Usage" };

export default async function UsagePage() {
  await requireUser("/dashboard/usage");
  return (
    <>
      <PageHeader title="Usage" />
      <NotBuiltYet what="Usage charts per key and range arrive with usage monitoring." />
    </>
  );
}
