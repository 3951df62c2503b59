// The account's keys as a table: name, prefix, environment, scopes, dates, status; names link to the key's page.
import Link from "next/link";
import { formatDateTime } from "@/lib/format-date";
import type { KeyObject } from "@/lib/keys/record";
import { keyStatus } from "@/lib/keys/status";
import { KeyStatusBadge } from "./key-status-badge";

export function KeysTable({ keys }: { keys: KeyObject[] }) {
  if (keys.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center">
        <p className="font-medium">No keys yet</p>
        <p className="mt-1 text-sm text-slate-600">Generate a key to call the API.</p>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">API keys, newest first</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600">
          <tr>
            {["Name", "Prefix", "Environment", "Scopes", "Created", "Expires", "Last used", "Status"].map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id} className="border-b border-slate-100 last:border-0">
              <td className="px-3 py-2 font-medium">
                <Link href={`/dashboard/keys/${key.id}`} className="text-brand-700 hover:underline">
                  {key.name}
                </Link>
              </td>
              <td className="px-3 py-2 font-mono text-xs">{key.prefix}…</td>
              <td className="px-3 py-2">{key.environment}</td>
              <td className="px-3 py-2">{key.scopes.join(", ")}</td>
              <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(key.createdAt)}</td>
              <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(key.expiresAt, "Never")}</td>
              <td className="px-3 py-2 whitespace-nowrap">{formatDateTime(key.lastUsedAt, "Never")}</td>
              <td className="px-3 py-2">
                <KeyStatusBadge status={keyStatus(key)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
