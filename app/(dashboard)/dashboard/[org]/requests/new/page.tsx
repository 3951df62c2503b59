// /dashboard/[org]/requests/new — the key request form (developers and up); members who may not request keys are told
// so here (the page streams under the organization's loading state, so a 404 could not change the status any more).
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { KeyRequestForm } from "@/components/requests/key-request-form";
import { PageHeader } from "@/components/shell/page-header";
import { requireMember } from "@/lib/orgs/page-guard";
import { can, refusalOf } from "@/lib/orgs/roles";
import { listPermissions } from "@/lib/permissions/catalogue";
import { PLAN_LIMITS } from "@/lib/ratelimit/limiter";

export const metadata = { title: "Request a key" };

export default async function NewKeyRequestPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { current, member } = await requireMember(slug, `/dashboard/${slug}/requests/new`);
  const org = member.organization;
  if (!can(member, "keys.request"))
    return (
      <>
        <PageHeader title="Request a key" />
        <Alert tone="warning">
          {refusalOf("keys.request", member.role)} Ask an administrator of {org.name} for a developer role, or{" "}
          <Link href={`/dashboard/${slug}/keys`} className="font-medium underline">
            see the organization&apos;s keys
          </Link>
          .
        </Alert>
      </>
    );
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
