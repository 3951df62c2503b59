"use client";
// The member's own key requests with their status; an approved one is revealed here, once: the key is made then and
// its secret shown in a dialog that forgets it when closed. The dialog belongs to the list, not to the row's button:
// the reveal refreshes the page, the row turns "revealed" and its button goes away, and the secret must stay on screen.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { SecretReveal } from "@/components/keys/secret-reveal";
import { Dialog } from "@/components/ui/dialog";
import { EmptyTable, Table, TBody, TD, THeadLabels } from "@/components/ui/table";
import { revealKeyRequestAction } from "@/lib/actions/key-requests";
import { formatDateTime } from "@/lib/format-date";
import type { RequestItem } from "./request-item";
import { RequestActionButton } from "./request-action-button";
import { RequestStatusBadge } from "./request-status-badge";

function Detail({ request, onRevealed }: { request: RequestItem; onRevealed: (secret: string) => void }) {
  switch (request.status) {
    case "pending":
      return <>Waiting for approval until {formatDateTime(request.expiresAt)}</>;
    case "approved":
      return (
        <RequestActionButton
          action={revealKeyRequestAction}
          id={request.id}
          label="Reveal key"
          pendingLabel="Revealing…"
          onSuccess={(created) => onRevealed(created.secret)}
        />
      );
    case "denied":
      return <>Denied: {request.denyReason}</>;
    case "revealed":
      return <>The key is in the keys list; its secret was shown once.</>;
    case "expired":
      return <>This request expired</>;
  }
}

// `emptyHint`: what to say when there are none (only members whose keys need approval are told to request one).
export function MyRequests({ requests, emptyHint }: { requests: RequestItem[]; emptyHint?: string }) {
  const router = useRouter();
  const [secret, setSecret] = useState<string | null>(null);
  const done = () => {
    setSecret(null);
    router.refresh();
  };
  if (requests.length === 0) return <EmptyTable title="No requests yet" hint={emptyHint} />;
  return (
    <>
      <Dialog open={secret !== null} onClose={done} title="Your new key">
        {secret ? <SecretReveal secret={secret} onDone={done} /> : null}
      </Dialog>
      <Table caption="Your key requests, newest first">
        <THeadLabels labels={["Key", "Scopes", "Permissions", "Key expires", "Submitted", "Status", ""]} />
        <TBody>
          {requests.map((r) => (
            <tr key={r.id}>
              <TD className="font-medium">
                {r.name} <span className="text-xs font-normal text-slate-500">({r.environment})</span>
              </TD>
              <TD>{r.scopes.join(", ")}</TD>
              <TD className="font-mono text-xs">{r.permissions.join(", ") || "None"}</TD>
              <TD>{formatDateTime(r.keyExpiresAt, "Never")}</TD>
              <TD>{formatDateTime(r.createdAt)}</TD>
              <TD>
                <RequestStatusBadge status={r.status} />
              </TD>
              <TD className="max-w-xs break-words">
                <Detail request={r} onRevealed={setSecret} />
              </TD>
            </tr>
          ))}
        </TBody>
      </Table>
    </>
  );
}
