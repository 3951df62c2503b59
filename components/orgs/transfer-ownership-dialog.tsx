"use client";
// An owner hands ownership to another member (who becomes owner; the owner becomes admin), confirmed in a dialog and
// with a step-up code when two-factor authentication is on.
import { useRouter } from "next/navigation";
import { useOrg } from "@/components/orgs/org-context";
import { ActionError } from "@/components/keys/action-error";
import { DialogButton, useFormDialog } from "@/components/ui/dialog";
import { FormButtons } from "@/components/ui/form-buttons";
import { SelectField } from "@/components/ui/select-field";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { transferOwnershipAction } from "@/lib/actions/members";

export function TransferOwnershipDialog({ candidates }: { candidates: { userId: string; email: string }[] }) {
  const { slug, name } = useOrg();
  const router = useRouter();
  const action = useStepUpFormAction(transferOwnershipAction, {
    fields: ["userId"],
    toInput: (form) => ({ org: slug, userId: String(form.get("userId") ?? "") }),
    onSuccess: () => {
      dialog.close();
      router.refresh();
    },
  });
  const dialog = useFormDialog(action);

  return (
    <DialogButton
      dialog={dialog}
      trigger="Transfer ownership"
      look="secondary"
      title={`Transfer ownership of ${name}`}
      description="The member you choose becomes an owner; you become an admin."
    >
      <form {...action.formProps} noValidate className="flex flex-col gap-2">
        <ActionError failure={action.failure} />
        <SelectField
          label="New owner"
          name="userId"
          options={candidates.map((c) => ({ value: c.userId, label: c.email }))}
          error={action.errors.userId}
        />
        <FormButtons
          label="Transfer ownership"
          pendingLabel="Transferring…"
          look="danger"
          pending={action.pending}
          onCancel={dialog.close}
        />
      </form>
    </DialogButton>
  );
}
