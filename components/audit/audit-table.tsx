// Audit events as a table: time, action, key (name and prefix), IP.
import { EmptyTable, Table, TBody, TD, THeadLabels } from "@/components/ui/table";
import type { listAuditEvents } from "@/lib/audit";
import { formatDateTime } from "@/lib/format-date";

type AuditRow = Awaited<ReturnType<typeof listAuditEvents>>["data"][number];

const LABELS: Record<string, string> = {
  "auth.signup": "Account created",
  "auth.signin": "Signed in",
  "auth.signin_failed": "Sign-in failed",
  "auth.signin_locked": "Sign-in refused (locked)",
  "key.created": "Key created",
  "key.updated": "Key updated",
  "key.rotated": "Key rotated",
  "key.revoked": "Key revoked",
};

export function AuditTable({ events }: { events: AuditRow[] }) {
  if (events.length === 0) return <EmptyTable title="No events yet." />;
  return (
    <Table caption="Audit events, newest first">
      <THeadLabels labels={["Time", "Action", "Key", "IP"]} />
      <TBody>
        {events.map((event) => (
          <tr key={event.id}>
            <TD className="whitespace-nowrap">{formatDateTime(event.createdAt)}</TD>
            <TD>
              {LABELS[event.action] ?? event.action}
              <span className="sr-only"> ({event.action})</span>
            </TD>
            <TD>
              {event.key ? (
                <>
                  {event.key.name} <code className="font-mono text-xs text-slate-600">{event.key.prefix}…</code>
                </>
              ) : (
                "—"
              )}
            </TD>
            <TD className="font-mono text-xs">{event.ip ?? "—"}</TD>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
