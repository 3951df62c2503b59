// /admin — every organization (plan, members, keys, requests, status, controls), every account (MFA, status,
// controls), the instance's global usage, and links to all keys and the permission catalogue.
import Link from "next/link";
import { Suspense } from "react";
import { AccountsTable } from "@/components/admin/accounts-table";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClass } from "@/components/ui/button";
import { ChartSkeleton } from "@/components/usage/chart-skeleton";
import { UsageChart } from "@/components/usage/usage-chart";
import { OrganizationsTable } from "@/components/admin/organizations-table";
import { SsoDomainClaims } from "@/components/admin/sso-domain-claims";
import { listAccounts } from "@/lib/admin/accounts";
import { listOrganizations } from "@/lib/admin/organizations";
import { requireAdmin } from "@/lib/auth/session";
import { listPendingDomains } from "@/lib/sso/domains";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  const { user } = await requireAdmin();
  const [accounts, organizations, claims] = await Promise.all([
    listAccounts(user),
    listOrganizations(user),
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
      </div>
    </>
  );
}
