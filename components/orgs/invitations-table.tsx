// Pending invitations: who, with which role, until when, and Revoke.
import { ConfirmRevokeDialog } from "@/components/keys/confirm-revoke-dialog";
import { EmptyTable, TBody, TD, THeadLabels, Table } from "@/components/ui/table";
import { revokeInvitationAction } from "@/lib/actions/members";
import { formatDateTime } from "@/lib/format-date";
import type { PendingInvitation } from "@/lib/orgs/invitations";
import { ROLE_LABELS } from "@/lib/orgs/roles";

export function InvitationsTable({ slug, invitations }: { slug: string; invitations: PendingInvitation[] }) {
  if (invitations.length === 0) return <EmptyTable title="No pending invitations." />;
  return (
    <Table caption="Pending invitations">
      <THeadLabels labels={["Email", "Role", "Sent", "Expires", "Actions"]} />
      <TBody>
        {invitations.map((i) => (
          <tr key={i.id}>
            <TD>{i.email}</TD>
            <TD>{ROLE_LABELS[i.role]}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(i.createdAt)}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(i.expiresAt)}</TD>
            <TD>
              <ConfirmRevokeDialog
                action={revokeInvitationAction}
                input={{ org: slug, id: i.id }}
                title={`Revoke the invitation for ${i.email}?`}
                description="Its link stops working at once. You can invite them again later."
                trigger="Revoke"
                triggerLabel={`Revoke the invitation for ${i.email}`}
                confirmLabel="Yes, revoke"
                compact
              />
            </TD>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
