// The account's keys as a table: name, prefix, environment, scopes, dates, status; names link to the key's page.
import Link from "next/link";
import { EmptyTable, Table, TBody, TD, THeadLabels } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format-date";
import type { KeyObject } from "@/lib/keys/record";
import { keyStatus } from "@/lib/keys/status";
import { KeyStatusBadge } from "./key-status-badge";

export function KeysTable({ keys }: { keys: KeyObject[] }) {
  if (keys.length === 0) return <EmptyTable title="No keys yet" hint="Generate a key to call the API." />;
  return (
    <Table caption="API keys, newest first">
      <THeadLabels labels={["Name", "Prefix", "Environment", "Scopes", "Created", "Expires", "Last used", "Status"]} />
      <TBody>
        {keys.map((key) => (
          <tr key={key.id}>
            <TD className="font-medium">
              <Link href={`/dashboard/keys/${key.id}`} className="text-brand-700 hover:underline">
                {key.name}
              </Link>
            </TD>
            <TD className="font-mono text-xs">{key.prefix}…</TD>
            <TD>{key.environment}</TD>
            <TD>{key.scopes.join(", ")}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(key.createdAt)}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(key.expiresAt, "Never")}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(key.lastUsedAt, "Never")}</TD>
            <TD>
              <KeyStatusBadge status={keyStatus(key)} />
            </TD>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
