// Every organization's keys for administrators: organization, name, prefix, environment, scopes, status, last used, and Revoke.
import { KeyStatusBadge } from "@/components/keys/key-status-badge";
import { EmptyTable, Table, TBody, TD, TH, THeadLabels } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format-date";
import type { AdminKeyRow } from "@/lib/admin/keys";
import { keyStatus } from "@/lib/keys/status";
import { AdminRevokeKeyDialog } from "./admin-revoke-key-dialog";

export function AllKeysTable({ keys, searched }: { keys: AdminKeyRow[]; searched: boolean }) {
  if (keys.length === 0) {
    return searched ? (
      <EmptyTable
        title="No key matches this search"
        hint="Search by the start of a prefix (kh_live_…) or part of a name."
      />
    ) : (
      <EmptyTable title="No keys yet" hint="Keys appear here once accounts generate them." />
    );
  }
  return (
    <Table caption="Every organization's API keys, newest first">
      <THeadLabels
        labels={["Organization", "Name", "Prefix", "Environment", "Scopes", "Status", "Last used", "Actions"]}
      />
      <TBody>
        {keys.map((key) => {
          const status = keyStatus(key);
          return (
            <tr key={key.id}>
              <TD>{key.organization.name}</TD>
              <TH scope="row">{key.name}</TH>
              <TD className="font-mono text-xs">{key.prefix}…</TD>
              <TD>{key.environment}</TD>
              <TD>{key.scopes.join(", ")}</TD>
              <TD>
                <KeyStatusBadge status={status} />
              </TD>
              <TD className="whitespace-nowrap">{formatDateTime(key.lastUsedAt, "Never")}</TD>
              <TD>
                {status === "revoked" ? null : (
                  <AdminRevokeKeyDialog keyId={key.id} name={key.name} owner={key.organization.name} />
                )}
              </TD>
            </tr>
          );
        })}
      </TBody>
    </Table>
  );
}
