// Audit events as a table: time, action, key (name and prefix), IP.
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
  if (events.length === 0) {
    return <p className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">No events yet.</p>;
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Audit events, newest first</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600">
          <tr>
            {["Time", "Action", "Key", "IP"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id} className="border-b border-slate-100 last:border-0">
              <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(event.createdAt)}</td>
              <td className="px-3 py-2">
                {LABELS[event.action] ?? event.action}
                <span className="sr-only"> ({event.action})</span>
              </td>
              <td className="px-3 py-2">
                {event.key ? (
                  <>
                    {event.key.name} <code className="font-mono text-xs text-slate-600">{event.key.prefix}…</code>
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{event.ip ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
