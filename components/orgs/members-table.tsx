// The organization's members: email, role (a role form where the viewer may change it), MFA, joined, and Remove.
import { TBody, TD, THeadLabels, Table } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format-date";
import type { MemberRow } from "@/lib/orgs/members";
import { ROLE_LABELS, type OrgRole } from "@/lib/orgs/roles";
import { MemberRoleForm } from "./member-role-form";
import { RemoveMemberDialog, type MemberKey } from "./remove-member-dialog";

// removable: the keys the member created (the removal dialog lists them), or null when the viewer may not remove them.
export type MemberControls = { roleChoices: readonly OrgRole[] | null; removable: MemberKey[] | null };

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
          const { roleChoices, removable } = controls[m.userId] ?? { roleChoices: null, removable: null };
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
                    <RemoveMemberDialog slug={slug} userId={m.userId} email={m.email} keys={removable} />
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
