"use client";
// Admins' queue of pending key requests, oldest first: approve (with a step-up) or deny with a reason.
import { useRouter } from "next/navigation";
import { useOrg } from "@/components/orgs/org-context";
import { ActionError } from "@/components/keys/action-error";
import { DialogButton, useFormDialog } from "@/components/ui/dialog";
import { FormButtons } from "@/components/ui/form-buttons";
import { EmptyTable, Table, TBody, TD, THeadLabels } from "@/components/ui/table";
import { useFormAction } from "@/components/ui/use-form-action";
import { approveKeyRequestAction, denyKeyRequestAction } from "@/lib/actions/key-requests";
import { formatDateTime } from "@/lib/format-date";
import { ReasonField } from "./reason-field";
import { RequestActionButton } from "./request-action-button";
import type { RequestItem } from "./request-item";

function DenyButton({ id, name }: { id: string; name: string }) {
  const { slug } = useOrg();
  const router = useRouter();
  const action = useFormAction(denyKeyRequestAction, {
    fields: ["reason"],
    toInput: (form) => ({ org: slug, id, reason: String(form.get("reason") ?? "") }),
    onSuccess: () => {
      dialog.close();
      router.refresh();
    },
  });
  const dialog = useFormDialog(action);
  return (
    <DialogButton dialog={dialog} trigger="Deny" look="secondary" title={`Deny “${name}”`}>
      <form {...action.formProps} noValidate className="flex flex-col gap-1">
        <ActionError failure={action.failure} />
        <ReasonField hint="The requester sees it." error={action.errors.reason} autoFocus />
        <FormButtons
          label="Deny request"
          pendingLabel="Denying…"
          pending={action.pending}
          look="danger"
          onCancel={dialog.close}
        />
      </form>
    </DialogButton>
  );
}

export function RequestQueue({ requests }: { requests: RequestItem[] }) {
  const router = useRouter();
  if (requests.length === 0)
    return <EmptyTable title="No pending requests" hint="Developers' key requests appear here." />;
  return (
    <Table caption="Pending key requests, oldest first">
      <THeadLabels
        labels={["Requested by", "Key", "Scopes", "Permissions", "Key expires", "Reason", "Submitted", "Decision"]}
      />
      <TBody>
        {requests.map((r) => (
          <tr key={r.id}>
            <TD className="whitespace-nowrap">{r.requesterEmail ?? "A removed user"}</TD>
            <TD className="whitespace-nowrap font-medium">
              {r.name} <span className="text-xs font-normal text-slate-500">({r.environment})</span>
            </TD>
            <TD>{r.scopes.join(", ")}</TD>
            <TD className="font-mono text-xs">{r.permissions.join(", ") || "None"}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(r.keyExpiresAt, "Never")}</TD>
            <TD className="min-w-48 max-w-xs break-words">{r.reason}</TD>
            <TD className="whitespace-nowrap">{formatDateTime(r.createdAt)}</TD>
            <TD>
              <div className="flex items-start gap-2">
                <RequestActionButton
                  action={approveKeyRequestAction}
                  id={r.id}
                  label="Approve"
                  pendingLabel="Approving…"
                  onSuccess={() => router.refresh()}
                />
                <DenyButton id={r.id} name={r.name} />
              </div>
            </TD>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
