// /dashboard/[org]/settings — name and slug, policies (admins edit, others read), and deletion (owners; never a
// personal organization).
import { DeleteOrganizationForm } from "@/components/orgs/delete-organization-form";
import { OrganizationForm } from "@/components/orgs/organization-form";
import { PoliciesForm } from "@/components/orgs/policies-form";
import { SsoSettings } from "@/components/orgs/sso-settings";
import { PageHeader } from "@/components/shell/page-header";
import { requireMember } from "@/lib/orgs/page-guard";
import { policiesOf } from "@/lib/orgs/policies";
import { can } from "@/lib/orgs/roles";
import { listOrganizationDomains } from "@/lib/sso/domains";

export const metadata = { title: "Organization settings" };

function Section({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  return (
    <section className="mb-8 rounded-xl border border-slate-200 bg-white p-6">
      <h2 className="text-lg font-semibold">{title}</h2>
      <p className="mb-4 text-sm text-slate-600">{description}</p>
      {children}
    </section>
  );
}

export default async function OrganizationSettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { member } = await requireMember(slug, `/dashboard/${slug}/settings`);
  const org = member.organization;
  const active = !org.suspendedAt;
  return (
    <>
      <PageHeader
        title="Settings"
        description={
          can(member, "org.rename")
            ? `Settings of ${org.name}.`
            : `Settings of ${org.name} (read-only: admins change them).`
        }
      />
      <Section title="Organization" description="Its name, and the slug in its URLs.">
        <OrganizationForm editable={active && can(member, "org.rename")} />
      </Section>
      <Section
        title="Policies"
        description="Rules for every key of the organization. A key a new policy makes non-compliant keeps working and is flagged in the list."
      >
        <PoliciesForm policies={policiesOf(org)} editable={active && can(member, "policies.manage")} />
      </Section>
      {can(member, "sso.manage") && active ? (
        <Section
          title="Single sign-on"
          description="Claim your company's email domains: once the instance administrator approves a claim, people signing in through SSO with that domain join this organization with its default role."
        >
          <SsoSettings domains={await listOrganizationDomains(org.id)} acceptIdpMfa={org.ssoAcceptIdpMfa} />
        </Section>
      ) : null}
      {can(member, "org.delete") && !org.personal ? (
        <Section
          title="Delete organization"
          description="Deletes its keys (they stop working at once), usage, members, invitations and key requests. This cannot be undone."
        >
          <DeleteOrganizationForm />
        </Section>
      ) : null}
    </>
  );
}
