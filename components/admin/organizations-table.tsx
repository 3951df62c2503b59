// The administrators' organizations table: plan, members, keys, key requests and API requests in 24 h, status, and the
// controls (change plan, suspend or restore).
import { Table, TBody, TD, TH, THead } from "@/components/ui/table";
import type { OrganizationRow } from "@/lib/admin/organizations";
import { AccountActions } from "./account-actions";

export function OrganizationsTable({ organizations }: { organizations: OrganizationRow[] }) {
  return (
    <Table caption={`Organizations (${organizations.length})`} showCaption>
      <THead>
        <TH>Organization</TH>
        <TH>Plan</TH>
        <TH numeric>Members</TH>
        <TH numeric>Keys</TH>
        <TH numeric>Key requests (24 h)</TH>
        <TH numeric>Requests (24 h)</TH>
        <TH>Status</TH>
        <TH>Actions</TH>
      </THead>
      <TBody>
        {organizations.map((o) => (
          <tr key={o.id}>
            <TH scope="row">
              {o.name}
              <span className="ml-2 font-mono text-xs text-slate-500">{o.slug}</span>
              {o.personal ? <span className="ml-2 text-xs text-slate-500">personal</span> : null}
            </TH>
            <TD>{o.plan}</TD>
            <TD numeric>{o.members}</TD>
            <TD numeric>{o.keys}</TD>
            <TD numeric>{o.keyRequests24h}</TD>
            <TD numeric>{o.requests24h.toLocaleString("en-US")}</TD>
            <TD>{o.suspendedAt ? <span className="font-medium text-red-700">Suspended</span> : "Active"}</TD>
            <TD>
              <AccountActions
                target={{ kind: "organization", organizationId: o.id, plan: o.plan }}
                email={o.name}
                suspended={o.suspendedAt !== null}
                isSelf={o.yours && o.suspendedAt === null}
              />
            </TD>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
