"use client";
// "Generate key": the form in a dialog, then the secret shown once; closing the dialog forgets it.
import { useRouter } from "next/navigation";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { useOrg } from "@/components/orgs/org-context";
import { DialogButton, useFormDialog } from "@/components/ui/dialog";
import { FormButtons } from "@/components/ui/form-buttons";
import { generateKeyAction } from "@/lib/actions/keys";
import type { CreateKeyInput } from "@/lib/validations/keys";
import { ActionError } from "./action-error";
import { creditsFromForm } from "./credits-field";
import {
  KEY_SETTINGS_FIELDS,
  KeySettingsFields,
  keySettingsFromForm,
  type KeySettingsContext,
} from "./key-settings-fields";
import { SecretReveal } from "./secret-reveal";

const FIELDS = [...KEY_SETTINGS_FIELDS, "credits"];

export function GenerateKeyDialog(context: KeySettingsContext) {
  const { slug } = useOrg();
  const router = useRouter();
  const action = useStepUpFormAction(generateKeyAction, {
    fields: FIELDS,
    toInput: (form): CreateKeyInput & { org: string } => ({
      org: slug,
      ...keySettingsFromForm(form),
      credits: creditsFromForm(form),
    }),
    onSuccess: () => router.refresh(),
  });
  const dialog = useFormDialog(action);
  const secret = action.result?.ok ? action.result.data.secret : null;

  return (
    <DialogButton dialog={dialog} trigger="Generate key" title={secret ? "Your new key" : "Generate API key"}>
      {secret ? (
        <SecretReveal secret={secret} onDone={dialog.close} />
      ) : (
        <form {...action.formProps} noValidate className="flex flex-col gap-1">
          <KeySettingsFields {...context} errors={action.errors} withCredits />
          <ActionError failure={action.failure} requestHref={`/dashboard/${slug}/requests/new`} />
          <p aria-live="polite" className="text-sm text-red-700">
            {Object.keys(action.errors).length > 0 ? "Check the fields marked above." : ""}
          </p>
          <FormButtons label="Generate" pendingLabel="Generating…" pending={action.pending} onCancel={dialog.close} />
        </form>
      )}
    </DialogButton>
  );
}
