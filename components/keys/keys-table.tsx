"use client";
// The organization's keys as a table: name, prefix, environment, scopes, permissions, dates, status (and a policy flag); names link
// to the key's page.
import Link from "next/link";
import { EmptyTable, Table, TBody, TD, THeadLabels } from "@/components/ui/table";
import { formatDateTime } from "@/lib/format-date";
import type { KeyObject } from "@/lib/keys/record";
import { keyStatus } from "@/lib/keys/status";
import { useOrg } from "@/components/orgs/org-context";
import { KeyStatusBadge } from "./key-status-badge";

export function KeysTable({
  keys,
  flags = {},
  manageable,
}: {
  keys: KeyObject[];
  // Policy violations per key id (a key a later policy made non-compliant keeps working, flagged).
  flags?: Record<string, string[]>;
  // The ids of the keys the viewer may change (the others are read-only for them).
  manageable?: string[];
}) {
  const { slug } = useOrg();
  if (keys.length === 0) return <EmptyTable title="No keys yet" hint="Generate a key to call the API." />;
  return (
    <Table caption="API keys, newest first">
      <THeadLabels
        labels={["Name", "Prefix", "Environment", "Scopes", "Permissions", "Created", "Expires", "Last used", "Status"]}
      />
      <TBody>
        {keys.map((key) => (
          <tr key={key.id}>
            <TD className="font-medium">
              <Link href={`/dashboard/${slug}/keys/${key.id}`} className="text-brand-700 hover:underline">
                {key.name}
              </Link>
              {manageable && !manageable.includes(key.id) ? (
                <span className="ml-2 text-xs font-normal text-slate-500">read-only</span>
              ) : null}
            </TD>
            <TD className="font-mono text-xs">{key.prefix}…</TD>
            <TD>{key.environment}</TD>
            <TD>{key.scopes.join(", ")}</TD>
            <TD className="font-mono text-xs">
              <PermissionsSummary permissions={key.permissions} />
            </TD>
            <TD className="whitespace-nowrap">{formatDateTime(key.createdAt)}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(key.expiresAt, "Never")}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(key.lastUsedAt, "Never")}</TD>
            <TD>
              <KeyStatusBadge status={keyStatus(key)} />
              {flags[key.id]?.length ? (
                <span
                  title={flags[key.id].join("; ")}
                  className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800"
                >
                  Non-compliant
                  <span className="sr-only">: {flags[key.id].join("; ")}</span>
                </span>
              ) : null}
            </TD>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}

// The first few permissions, the rest counted (all of them in the tooltip and for screen readers).
function PermissionsSummary({ permissions }: { permissions: readonly string[] }) {
  if (permissions.length === 0) return <span className="font-sans text-slate-500">None</span>;
  const shown = permissions.slice(0, 3);
  const rest = permissions.length - shown.length;
  return (
    <span title={permissions.join(", ")}>
      {shown.join(", ")}
      {rest > 0 ? (
        <>
          <span aria-hidden="true" className="font-sans text-slate-500">
            {" "}
            +{rest} more
          </span>
          <span className="sr-only">, {permissions.slice(3).join(", ")}</span>
        </>
      ) : null}
    </span>
  );
}
