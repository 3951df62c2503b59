"use client";
// Revoke a key after an explicit confirmation.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { revokeKeyAction } from "@/app/(dashboard)/dashboard/keys/actions";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ActionError } from "./action-error";
import { useKeyAction } from "./use-key-action";

export function RevokeKeyDialog({ keyId, name }: { keyId: string; name: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const action = useKeyAction([]);

  function close() {
    setOpen(false);
    action.reset();
  }

  async function revoke() {
    if (await action.run(() => revokeKeyAction(keyId))) {
      close();
      router.refresh();
    }
  }

  return (
    <>
      <Button look="danger" onClick={() => setOpen(true)}>
        Revoke key
      </Button>
      <Dialog open={open} onClose={close} title={`Revoke “${name}”?`} description="Requests with this key will be refused at once. This cannot be undone.">
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
