// Every /dashboard/[org] page: the member guard (404 for anyone else), remembers the organization, provides it to
// client components.
import { NotificationBell } from "@/components/notifications/notification-bell";
import { OrgProvider } from "@/components/orgs/org-context";
import { DisabledWebhooksNotice } from "@/components/webhooks/disabled-webhooks-notice";
import { getNotifications } from "@/lib/events/notifications";
import { rememberOrganization, requireMember } from "@/lib/orgs/page-guard";
import { can } from "@/lib/orgs/roles";
import { countAutoDisabledWebhooks } from "@/lib/webhooks/endpoints";

export default async function OrganizationLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ org: string }>;
}) {
  const { org } = await params;
  const { current, member } = await requireMember(org, `/dashboard/${org}`);
  await rememberOrganization(current, member.organization.id);
  const { slug, name, personal } = member.organization;
  const [notifications, disabledWebhooks] = await Promise.all([
    getNotifications(member),
    can(member, "webhooks.manage") ? countAutoDisabledWebhooks(member.organization.id) : 0,
  ]);
  return (
    <OrgProvider org={{ slug, name, personal, role: member.role }}>
      <NotificationBell notifications={notifications} />
      {member.organization.suspendedAt ? (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          This organization is suspended: its keys are refused and nothing can be changed. Contact your administrator.
        </p>
      ) : null}
      <DisabledWebhooksNotice slug={slug} count={disabledWebhooks} />
      {children}
    </OrgProvider>
  );
}
