"use client";
// Revocation behind an explicit confirmation, shared by the owner's key page and the administrators' key list (and,
// with their own labels, by the members page's remove, revoke and leave).
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { DialogButton, useFormDialog } from "@/components/ui/dialog";
import { FormButtons } from "@/components/ui/form-buttons";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import type { Action } from "@/lib/actions/define-action";
import { ActionError } from "./action-error";

export function ConfirmRevokeDialog<I, T>({
  action: revoke,
  input,
  title,
  description,
  trigger,
  triggerLabel,
  compact,
  confirmLabel = "Yes, revoke",
  pendingLabel = "Revoking…",
  children,
  toInput,
}: {
  action: Action<I, T>;
  input: I;
  // Fields of the confirmation form (a checkbox), read by toInput into the action's input.
  children?: ReactNode;
  toInput?: (form: FormData) => I;
  title: string;
  description: string;
  trigger: string;
  triggerLabel?: string;
  compact?: boolean;
  confirmLabel?: string;
  pendingLabel?: string;
}) {
  const router = useRouter();
  const action = useStepUpFormAction(revoke, {
    toInput: (form) => (toInput ? toInput(form) : input),
    onSuccess: () => {
      dialog.close();
      router.refresh();
    },
  });
  const dialog = useFormDialog(action);

  return (
    <DialogButton
      dialog={dialog}
      trigger={trigger}
      look="danger"
      triggerProps={{ className: compact ? "px-2 py-1" : "", "aria-label": triggerLabel }}
      title={title}
      description={description}
    >
      <form {...action.formProps} className="flex flex-col gap-2">
        {children}
        <ActionError failure={action.failure} />
        <FormButtons
          label={confirmLabel}
          pendingLabel={pendingLabel}
          look="danger"
          pending={action.pending}
          onCancel={dialog.close}
        />
      </form>
    </DialogButton>
  );
}
