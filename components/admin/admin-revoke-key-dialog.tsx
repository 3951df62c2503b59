"use client";
// An administrator revokes any account's key after an explicit confirmation (step-up asked inline when needed).
import { revokeKeyAsAdminAction } from "@/lib/actions/admin";
import { ConfirmRevokeDialog } from "@/components/keys/confirm-revoke-dialog";

export function AdminRevokeKeyDialog({ keyId, name, owner }: { keyId: string; name: string; owner: string }) {
  return (
    <ConfirmRevokeDialog
      action={revokeKeyAsAdminAction}
      input={{ keyId }}
      title={`Revoke “${name}” of ${owner}?`}
      description="Requests with this key will be refused at once. The owner sees it revoked in their audit log. This cannot be undone."
      trigger="Revoke"
      triggerLabel={`Revoke ${name} of ${owner}`}
      compact
    />
  );
}
