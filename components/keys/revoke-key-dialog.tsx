"use client";
// The owner revokes one of their keys after an explicit confirmation.
import { useOrg } from "@/components/orgs/org-context";
import { revokeKeyAction } from "@/lib/actions/keys";
import { ConfirmRevokeDialog } from "./confirm-revoke-dialog";

export function RevokeKeyDialog({ keyId, name }: { keyId: string; name: string }) {
  const { slug } = useOrg();
  return (
    <ConfirmRevokeDialog
      action={revokeKeyAction}
      input={{ org: slug, id: keyId }}
      title={`Revoke “${name}”?`}
      description="Requests with this key will be refused at once. This cannot be undone."
      trigger="Revoke key"
    />
  );
}
