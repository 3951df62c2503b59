// /dashboard/[org]/keys — the organization's keys, newest first by cursor, flagged when a policy made them
// non-compliant, and the "Generate key" dialog (or "Request a key" where policy sends developers to approval).
import { GenerateKeyDialog } from "@/components/keys/generate-key-dialog";
import { KeysTable } from "@/components/keys/keys-table";
import { PageHeader } from "@/components/shell/page-header";
import { CursorPager } from "@/components/ui/cursor-pager";
import { PLAN_LIMITS } from "@/lib/ratelimit/limiter";
import { ApiError } from "@/lib/errors";
import { listKeys } from "@/lib/keys/list";
import { requireMember, type OrgPageProps } from "@/lib/orgs/page-guard";
import { listPermissions } from "@/lib/permissions/catalogue";
import { approvalApplies, keyObjectViolations, policiesOf } from "@/lib/orgs/policies";
import { can } from "@/lib/orgs/roles";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";

export const metadata = { title: "Keys" };

const PAGE_SIZE = 25;

export default async function KeysPage({ params, searchParams }: OrgPageProps<{ cursor?: string }>) {
  const { org: slug } = await params;
  const base = `/dashboard/${slug}/keys`;
  const {
    current: { user },
    member,
  } = await requireMember(slug, base);
  const org = member.organization;
  const { cursor } = await searchParams;
  const page = await listKeys(org.id, { cursor, limit: PAGE_SIZE }).catch((err: unknown) => {
    // A stale or hand-edited cursor shows the first page rather than an error.
    if (err instanceof ApiError) return listKeys(org.id, { limit: PAGE_SIZE });
    throw err;
  });
  const policies = policiesOf(org);
  const flags = Object.fromEntries(
    page.data.map((k) => [k.id, keyObjectViolations(policies, k).map((v) => v.message)]),
  );
  const manageable = page.data.filter((k) => can(member, "keys.manage", { createdById: k.createdBy })).map((k) => k.id);
  const mayCreate = can(member, "keys.create") && !org.suspendedAt;
  const approval = approvalApplies(policies, member.role);
  const requestOnly = approval.always;
  const permissionCatalogue = mayCreate && !requestOnly ? await listPermissions() : [];
  return (
    <>
      <PageHeader
        title="Keys"
        description={`API keys of ${org.name}. Secrets are shown once, when generated or rotated.`}
        actions={
          mayCreate ? (
            <>
              {approval.some ? (
                <Link href={`/dashboard/${slug}/requests/new`} className={buttonClass("secondary")}>
                  Request a key
                </Link>
              ) : null}
              {requestOnly ? null : (
                <GenerateKeyDialog
                  mfaEnabled={!!user.mfaEnabledAt}
                  planLimit={PLAN_LIMITS[org.plan]}
                  maxLifetimeDays={org.maxKeyLifetimeDays}
                  permissionCatalogue={permissionCatalogue}
                />
              )}
            </>
          ) : null
        }
      />
      <KeysTable keys={page.data} flags={flags} manageable={manageable} />
      <CursorPager basePath={base} cursor={cursor} nextCursor={page.nextCursor} label="Keys" />
    </>
  );
}
