// /dashboard/[org]/requests/new — the key request form (developers and up).
import { KeyRequestForm } from "@/components/requests/key-request-form";
import { PageHeader } from "@/components/shell/page-header";
import { requireMember } from "@/lib/orgs/page";
import { listPermissions } from "@/lib/permissions/catalogue";
import { PLAN_LIMITS } from "@/lib/ratelimit/limiter";

export const metadata = { title: "Request a key" };

export default async function NewKeyRequestPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { current, member } = await requireMember(slug, `/dashboard/${slug}/requests/new`, "keys.request");
  const org = member.organization;
  const permissionCatalogue = await listPermissions();
  return (
    <>
      <PageHeader
        title="Request a key"
        description={`An administrator of ${org.name} approves or denies it; once approved, you reveal the secret once.`}
      />
      <KeyRequestForm
        mfaEnabled={!!current.user.mfaEnabledAt}
        planLimit={PLAN_LIMITS[org.plan]}
        maxLifetimeDays={org.maxKeyLifetimeDays}
        permissionCatalogue={permissionCatalogue}
      />
    </>
  );
}
