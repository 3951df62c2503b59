// The administrators' accounts table: plan, keys, requests in the last 24 hours, MFA, created, status, and the controls.
import type { AccountRow } from "@/lib/admin/accounts";
import { AccountActions } from "./account-actions";
import { IssueResetLink } from "./issue-reset-link";

const dateFormat = new Intl.DateTimeFormat("en-GB", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });

export function AccountsTable({ accounts, currentUserId }: { accounts: AccountRow[]; currentUserId: string }) {
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <caption className="px-4 py-3 text-left font-medium">Accounts ({accounts.length})</caption>
        <thead className="border-y border-slate-200 bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2">Email</th>
            <th scope="col" className="px-4 py-2">Plan</th>
            <th scope="col" className="px-4 py-2 text-right">Keys</th>
            <th scope="col" className="px-4 py-2 text-right">Requests (24 h)</th>
            <th scope="col" className="px-4 py-2">MFA</th>
            <th scope="col" className="px-4 py-2">Created</th>
            <th scope="col" className="px-4 py-2">Status</th>
            <th scope="col" className="px-4 py-2">Actions</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {accounts.map((a) => (
            <tr key={a.id}>
              <th scope="row" className="px-4 py-2 text-left font-medium">
                {a.email}
                {a.role === "ADMIN" ? <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs text-brand-700">admin</span> : null}
              </th>
              <td className="px-4 py-2">{a.plan}</td>
              <td className="px-4 py-2 text-right tabular-nums">{a.keys}</td>
              <td className="px-4 py-2 text-right tabular-nums">{a.requests24h.toLocaleString("en-US")}</td>
              <td className="px-4 py-2">{a.mfaEnabled ? "On" : "Off"}</td>
              <td className="px-4 py-2 whitespace-nowrap">{dateFormat.format(a.createdAt)}</td>
              <td className="px-4 py-2">{a.suspendedAt ? <span className="font-medium text-red-700">Suspended</span> : "Active"}</td>
              <td className="px-4 py-2">
                <AccountActions userId={a.id} email={a.email} plan={a.plan} suspended={a.suspendedAt !== null} isSelf={a.id === currentUserId} />
                <IssueResetLink userId={a.id} email={a.email} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
