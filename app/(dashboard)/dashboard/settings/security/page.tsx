// /dashboard/settings/security — Security.
import { PageHeader } from "@/components/shell/page-header";
import { NotBuiltYet } from "@/components/shell/not-built-yet";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "Security" };

export default async function SecurityPage() {
  await requireUser("/dashboard/settings/security");
  return (
    <>
      <PageHeader title="Security" />
      <NotBuiltYet what="Two-factor authentication arrives with MFA." />
    </>
  );
}
