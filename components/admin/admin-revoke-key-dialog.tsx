"use client";
// An administrator revokes any account's key after an explicit confirmation (step-up asked inline when needed).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { revokeKeyAsAdminAction } from "@/app/admin/actions";
import { ActionError } from "@/components/keys/action-error";
import { useKeyAction } from "@/components/keys/use-key-action";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

export function AdminRevokeKeyDialog({ keyId, name, owner }: { keyId: string; name: string; owner: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const action = useKeyAction([]);

  function close() {
    setOpen(false);
    action.reset();
  }

  async function revoke() {
    if (await action.run(() => revokeKeyAsAdminAction({ keyId }))) {
      close();
      router.refresh();
    }
  }

  return (
    <>
      <Button look="danger" className="px-2 py-1" aria-label={`Revoke ${name} of ${owner}`} onClick={() => setOpen(true)}>
        Revoke
      </Button>
      <Dialog open={open} onClose={close} title={`Revoke “${name}” of ${owner}?`} description="Requests with this key will be refused at once. The owner sees it revoked in their audit log. This cannot be undone.">
        <ActionError failure={action.failure} />
        <div className="flex justify-end gap-2">
          <Button look="secondary" onClick={close} autoFocus>
            Cancel
          </Button>
          <Button look="danger" onClick={revoke} disabled={action.pending}>
            {action.pending ? "Revoking…" : "Yes, revoke"}
          </Button>
        </div>
      </Dialog>
      {action.stepUpDialog}
    </>
  );
}
