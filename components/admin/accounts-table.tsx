// The administrators' accounts table: role, organizations, MFA, created, status, and the controls.
import { Table, TBody, TD, TH, THeadLabels } from "@/components/ui/table";
import type { AccountRow } from "@/lib/admin/accounts";
import { AccountActions } from "./account-actions";
import { IssueResetLink } from "./issue-reset-link";

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});

export function AccountsTable({ accounts, currentUserId }: { accounts: AccountRow[]; currentUserId: string }) {
  return (
    <Table caption={`Accounts (${accounts.length})`} showCaption>
      <THeadLabels
        labels={["Email", "Organizations", "MFA", "Created", "Status", "Actions"]}
        numeric={["Organizations"]}
      />
      <TBody>
        {accounts.map((a) => (
          <tr key={a.id}>
            <TH scope="row">
              {a.email}
              {a.role === "ADMIN" ? (
                <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs text-brand-700">admin</span>
              ) : null}
            </TH>
            <TD numeric>{a.organizations}</TD>
            <TD>{a.mfaEnabled ? "On" : "Off"}</TD>
            <TD className="whitespace-nowrap">{dateFormat.format(a.createdAt)}</TD>
            <TD>{a.suspendedAt ? <span className="font-medium text-red-700">Suspended</span> : "Active"}</TD>
            <TD>
              <AccountActions
                target={{ kind: "account", userId: a.id }}
                email={a.email}
                suspended={a.suspendedAt !== null}
                isSelf={a.id === currentUserId}
              />
              <IssueResetLink userId={a.id} email={a.email} />
            </TD>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
