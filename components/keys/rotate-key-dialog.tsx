"use client";
// Rotate a key: choose how long the old secret keeps working, then see the new secret once.
import { useOrg } from "@/components/orgs/org-context";
import { useRouter } from "next/navigation";
import { rotateKeyAction } from "@/lib/actions/keys";
import { DialogButton, useFormDialog } from "@/components/ui/dialog";
import { FormButtons } from "@/components/ui/form-buttons";
import { SelectField } from "@/components/ui/select-field";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { ActionError } from "./action-error";
import { SecretReveal } from "./secret-reveal";

const GRACE = [
  { value: "0", label: "None: the old secret stops now" },
  { value: "3600", label: "1 hour" },
  { value: "86400", label: "24 hours" },
  { value: "604800", label: "7 days" },
];

export function RotateKeyDialog({ keyId, name }: { keyId: string; name: string }) {
  const { slug } = useOrg();
  const router = useRouter();
  const action = useStepUpFormAction(rotateKeyAction, {
    fields: ["gracePeriodSeconds"],
    toInput: (form) => ({ org: slug, id: keyId, gracePeriodSeconds: Number(form.get("gracePeriodSeconds")) }),
    onSuccess: () => router.refresh(),
  });
  const dialog = useFormDialog(action);
  const secret = action.result?.ok ? action.result.data.secret : null;

  return (
    <DialogButton
      dialog={dialog}
      trigger="Rotate key"
      look="secondary"
      title={secret ? "Your rotated key" : `Rotate “${name}”`}
      description={secret ? undefined : "A new secret replaces the current one."}
    >
      {secret ? (
        <SecretReveal secret={secret} onDone={dialog.close} />
      ) : (
        <form {...action.formProps} noValidate className="flex flex-col gap-1">
          <ActionError failure={action.failure} />
          <SelectField
            label="Old secret keeps working for"
            name="gracePeriodSeconds"
            defaultValue="0"
            options={GRACE}
            error={action.errors.gracePeriodSeconds}
          />
          <FormButtons label="Rotate" pendingLabel="Rotating…" pending={action.pending} onCancel={dialog.close} />
        </form>
      )}
    </DialogButton>
  );
}
