// /dashboard/[org]/members — the organization's members (role changes and removal for admins and owners, read-only for
// developers and viewers), leaving, ownership transfer (owners) and invitations (admins and owners).
import { ConfirmRevokeDialog } from "@/components/keys/confirm-revoke-dialog";
import { InvitationsTable } from "@/components/orgs/invitations-table";
import { InviteMemberForm } from "@/components/orgs/invite-member-form";
import { MembersTable, type MemberControls } from "@/components/orgs/members-table";
import type { MemberKey } from "@/components/orgs/remove-member-dialog";
import { TransferOwnershipDialog } from "@/components/orgs/transfer-ownership-dialog";
import { PageHeader } from "@/components/shell/page-header";
import { leaveOrganizationAction } from "@/lib/actions/members";
import { listPendingInvitations } from "@/lib/orgs/invitations";
import { listKeysByCreator, listMembers, type MemberRow } from "@/lib/orgs/members";
import type { OrgMember } from "@/lib/orgs/organizations";
import { requireMember } from "@/lib/orgs/page-guard";
import { can, ORG_ROLES } from "@/lib/orgs/roles";

export const metadata = { title: "Members" };

const card = "flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5";

// What the viewer may do to each member, as the server will allow it: admins manage everyone but owners; only owners
// give or take the owner role; nobody removes themselves (they leave). A removable member comes with their keys.
function controlsFor(
  member: OrgMember,
  members: MemberRow[],
  keys: Map<string, MemberKey[]>,
): Record<string, MemberControls> {
  const manages = can(member, "members.manage");
  const owners = can(member, "owners.manage");
  const choices = owners ? ORG_ROLES : ORG_ROLES.filter((r) => r !== "owner");
  return Object.fromEntries(
    members.map((m) => {
      const editable = manages && (m.role !== "owner" || owners);
      const removable = editable && m.userId !== member.userId ? (keys.get(m.userId) ?? []) : null;
      return [m.userId, { roleChoices: editable ? choices : null, removable }];
    }),
  );
}

export default async function MembersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { current, member } = await requireMember(slug, `/dashboard/${slug}/members`);
  const org = member.organization;
  const me = current.user.id;
  const invites = can(member, "invitations.manage") && !org.suspendedAt;
  const manages = can(member, "members.manage") && !org.suspendedAt;
  const [members, invitations, keys] = await Promise.all([
    listMembers(org.id),
    invites ? listPendingInvitations(org.id) : Promise.resolve([]),
    manages ? listKeysByCreator(org.id) : Promise.resolve(new Map<string, MemberKey[]>()),
  ]);
  const controls = manages ? controlsFor(member, members, keys) : {};
  const isOwner = can(member, "ownership.transfer");
  const lastOwner = isOwner && members.filter((m) => m.role === "owner").length === 1;
  return (
    <>
      <PageHeader
        title="Members"
        description={`People with access to ${org.name} and their roles.`}
        actions={
          <>
            {/* Offered only when there is someone to transfer to. */}
            {isOwner && !org.suspendedAt && members.some((m) => m.userId !== me) ? (
              <TransferOwnershipDialog
                candidates={members.filter((m) => m.userId !== me).map(({ userId, email }) => ({ userId, email }))}
              />
            ) : null}
            {lastOwner ? null : (
              <ConfirmRevokeDialog
                action={leaveOrganizationAction}
                input={{ org: slug }}
                title={`Leave ${org.name}?`}
                description="You lose access to its keys, usage and audit log at once. Keys you created stay with the organization."
                trigger="Leave organization"
                confirmLabel="Yes, leave"
                pendingLabel="Leaving…"
              />
            )}
          </>
        }
      />
      <div className="flex flex-col gap-6">
        {lastOwner ? (
          <p className="text-sm text-slate-600">
            You are the only owner: to leave, make another member owner or transfer ownership first.
          </p>
        ) : null}
        <MembersTable slug={slug} members={members} me={me} controls={controls} />
        {invites ? (
          <section aria-labelledby="invite-heading" className={card}>
            <h2 id="invite-heading" className="text-lg font-semibold">
              Invite a member
            </h2>
            <p className="text-sm text-slate-600">
              The invitation link works once, for 7 days, and only for the email address you enter.
            </p>
            <InviteMemberForm roles={isOwner ? ORG_ROLES : ORG_ROLES.filter((r) => r !== "owner")} />
            <h2 id="pending-heading" className="mt-4 text-lg font-semibold">
              Pending invitations
            </h2>
            <InvitationsTable slug={slug} invitations={invitations} />
          </section>
        ) : null}
      </div>
    </>
  );
}
