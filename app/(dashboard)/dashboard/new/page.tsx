// /dashboard/new — create an organization (a static segment beside [org]: "new" is a reserved slug).
import { NewOrganizationForm } from "@/components/orgs/new-organization-form";
import { PageHeader } from "@/components/shell/page-header";
import { requireUser } from "@/lib/auth/session";

export const metadata = { title: "New organization" };

export default async function NewOrganizationPage() {
  await requireUser("/dashboard/new");
  return (
    <>
      <PageHeader
        title="New organization"
        description="Keys, usage, audit and policies belong to an organization. You will be its owner and can invite members."
      />
      <NewOrganizationForm />
    </>
  );
}
