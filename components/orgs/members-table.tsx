// The organization's members: email, role (a role form where the viewer may change it), MFA, joined, and Remove.
import { ConfirmRevokeDialog } from "@/components/keys/confirm-revoke-dialog";
import { TBody, TD, THeadLabels, Table } from "@/components/ui/table";
import { removeMemberAction } from "@/lib/actions/members";
import { formatDateTime } from "@/lib/format-date";
import type { MemberRow } from "@/lib/orgs/members";
import { ROLE_LABELS, type OrgRole } from "@/lib/orgs/roles";
import { MemberRoleForm } from "./member-role-form";

export type MemberControls = { roleChoices: readonly OrgRole[] | null; removable: boolean };

export function MembersTable({
  slug,
  members,
  me,
  controls,
}: {
  slug: string;
  members: MemberRow[];
  me: string;
  // Per member: the roles the viewer may give them (null: read-only) and whether they may remove them.
  controls: Record<string, MemberControls>;
}) {
  const anyControls = Object.values(controls).some((c) => c.removable);
  return (
    <Table caption="Members of this organization">
      <THeadLabels labels={["Email", "Role", "Two-factor", "Joined", ...(anyControls ? ["Actions"] : [])]} />
      <TBody>
        {members.map((m) => {
          const { roleChoices, removable } = controls[m.userId] ?? { roleChoices: null, removable: false };
          return (
            <tr key={m.userId}>
              <TD>
                {m.email}
                {m.userId === me ? <span className="ml-2 text-xs text-slate-500">(you)</span> : null}
              </TD>
              <TD>
                {roleChoices ? (
                  <MemberRoleForm userId={m.userId} email={m.email} role={m.role} choices={roleChoices} />
                ) : (
                  ROLE_LABELS[m.role]
                )}
              </TD>
              <TD>{m.mfa ? "On" : "Off"}</TD>
              <TD className="whitespace-nowrap">{formatDateTime(m.joinedAt)}</TD>
              {anyControls ? (
                <TD>
                  {removable ? (
                    <ConfirmRevokeDialog
                      action={removeMemberAction}
                      input={{ org: slug, userId: m.userId }}
                      title={`Remove ${m.email}?`}
                      description="They lose access to this organization at once. Keys they created stay with the organization."
                      trigger="Remove"
                      triggerLabel={`Remove ${m.email}`}
                      confirmLabel="Yes, remove"
                      pendingLabel="Removing…"
                      compact
                    />
                  ) : null}
                </TD>
              ) : null}
            </tr>
          );
        })}
      </TBody>
    </Table>
  );
}
