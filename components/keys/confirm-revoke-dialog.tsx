"use client";
// Revocation behind an explicit confirmation, shared by the owner's key page and the administrators' key list.
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ActionError } from "./action-error";
import { useKeyAction } from "./use-key-action";

export function ConfirmRevokeDialog({
  revoke,
  title,
  description,
  trigger,
  triggerLabel,
  compact,
}: {
  revoke: () => Promise<ActionResult<unknown>>;
  title: string;
  description: string;
  trigger: string;
  triggerLabel?: string;
  compact?: boolean;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const action = useKeyAction([]);

  function close() {
    setOpen(false);
    action.reset();
  }

  async function confirm() {
    if (await action.run(revoke)) {
      close();
      router.refresh();
    }
  }

  return (
    <>
      <Button look="danger" className={compact ? "px-2 py-1" : ""} aria-label={triggerLabel} onClick={() => setOpen(true)}>
        {trigger}
      </Button>
      <Dialog open={open} onClose={close} title={title} description={description}>
        <ActionError failure={action.failure} />
        <div className="flex justify-end gap-2">
          <Button look="secondary" onClick={close} autoFocus>
            Cancel
          </Button>
          <Button look="danger" onClick={confirm} disabled={action.pending}>
            {action.pending ? "Revoking…" : "Yes, revoke"}
          </Button>
        </div>
      </Dialog>
      {action.stepUpDialog}
    </>
  );
}
