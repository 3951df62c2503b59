// Every account's keys for administrators: owner, name, prefix, environment, scopes, status, last used, and Revoke.
import { KeyStatusBadge } from "@/components/keys/key-status-badge";
import { formatDateTime } from "@/lib/format-date";
import type { AdminKeyRow } from "@/lib/admin/keys";
import { keyStatus } from "@/lib/keys/status";
import { AdminRevokeKeyDialog } from "./admin-revoke-key-dialog";

export function AllKeysTable({ keys, searched }: { keys: AdminKeyRow[]; searched: boolean }) {
  if (keys.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center">
        <p className="font-medium">{searched ? "No key matches this search" : "No keys yet"}</p>
        <p className="mt-1 text-sm text-slate-600">{searched ? "Search by the start of a prefix (kh_live_…) or part of a name." : "Keys appear here once accounts generate them."}</p>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Every account&apos;s API keys, newest first</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600">
          <tr>
            {["Owner", "Name", "Prefix", "Environment", "Scopes", "Status", "Last used", "Actions"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => {
            const status = keyStatus(key);
            return (
              <tr key={key.id} className="border-b border-slate-100 last:border-0">
                <td className="px-3 py-2">{key.owner.email}</td>
                <th scope="row" className="px-3 py-2 font-medium">
                  {key.name}
                </th>
                <td className="px-3 py-2 font-mono text-xs">{key.prefix}…</td>
                <td className="px-3 py-2">{key.environment}</td>
                <td className="px-3 py-2">{key.scopes.join(", ")}</td>
                <td className="px-3 py-2">
                  <KeyStatusBadge status={status} />
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(key.lastUsedAt, "Never")}</td>
                <td className="px-3 py-2">{status === "revoked" ? null : <AdminRevokeKeyDialog keyId={key.id} name={key.name} owner={key.owner.email} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
