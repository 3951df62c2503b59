// The administrators' organizations table: plan, members, keys, key requests and API requests in 24 h, status, and the
// controls (change plan, suspend or restore).
import { Table, TBody, TD, TH, THeadLabels } from "@/components/ui/table";
import type { OrganizationRow } from "@/lib/admin/organizations";
import { AccountActions } from "./account-actions";

// The columns of counts.
const COUNTS = ["Members", "Keys", "Key requests (24 h)", "Requests (24 h)"];

export function OrganizationsTable({ organizations }: { organizations: OrganizationRow[] }) {
  return (
    <Table caption={`Organizations (${organizations.length})`} showCaption>
      <THeadLabels labels={["Organization", "Plan", ...COUNTS, "Status", "Actions"]} numeric={COUNTS} />
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
