// /admin — every organization (plan, members, keys, requests, status, controls), every account (MFA, status,
// controls), the instance's global usage, the latest administrator actions (instance audit log), and links to all
// keys, the permission catalogue, the route table and the whole instance audit log.
import Link from "next/link";
import { Suspense } from "react";
import { AccountsTable } from "@/components/admin/accounts-table";
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClass } from "@/components/ui/button";
import { ChartSkeleton } from "@/components/usage/chart-skeleton";
import { UsageChart } from "@/components/usage/usage-chart";
import { OrganizationsTable } from "@/components/admin/organizations-table";
import { SsoDomainClaims } from "@/components/admin/sso-domain-claims";
import { listAccounts } from "@/lib/admin/accounts";
import { listOrganizations } from "@/lib/admin/organizations";
import { listAuditEvents } from "@/lib/audit";
import { requireAdmin } from "@/lib/auth/session";
import { listPendingDomains } from "@/lib/sso/domains";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  const { user } = await requireAdmin();
  const [accounts, organizations, activity, claims] = await Promise.all([
    listAccounts(user),
    listOrganizations(user),
    listAuditEvents({ instance: true }, { limit: 10 }),
    listPendingDomains(),
  ]);
  return (
    <>
      <PageHeader
        title="Admin"
        description="All organizations and accounts on this Keyhold instance."
        actions={
          <>
            <Link href="/admin/permissions" className={buttonClass("secondary")}>
              Permissions
            </Link>
            <Link href="/admin/routes" className={buttonClass("secondary")}>
              Routes
            </Link>
            <Link href="/admin/keys" className={buttonClass("secondary")}>
              All keys
            </Link>
            <Link href="/admin/audit" className={buttonClass("secondary")}>
              Instance audit log
            </Link>
          </>
        }
      />
      <div className="space-y-6">
        <Suspense fallback={<ChartSkeleton label="Loading global usage…" />}>
          <UsageChart scope={{ all: true }} range="7d" title="All organizations: requests by outcome, last 7 days" />
        </Suspense>
        <SsoDomainClaims claims={claims} />
        <OrganizationsTable organizations={organizations} />
        <AccountsTable accounts={accounts} currentUserId={user.id} />
        <section aria-labelledby="admin-activity-heading" className="space-y-2">
          <h2 id="admin-activity-heading" className="text-lg font-semibold">
            Administrator activity
          </h2>
          <AuditTable events={activity.data} showTarget />
          {activity.nextCursor ? (
            <Link href="/admin/audit" className="text-sm underline">
              The whole instance audit log
            </Link>
          ) : null}
        </section>
      </div>
    </>
  );
}
