"use client";
// "Request a key": the key's settings and a reason for the administrators; on success, back to the requests page.
import { useRouter } from "next/navigation";
import { ActionError } from "@/components/keys/action-error";
import {
  KEY_SETTINGS_FIELDS,
  KeySettingsFields,
  keySettingsFromForm,
  type KeySettingsContext,
} from "@/components/keys/key-settings-fields";
import { useOrg } from "@/components/orgs/org-context";
import { FormButtons } from "@/components/ui/form-buttons";
import { ReasonField } from "./reason-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { createKeyRequestAction } from "@/lib/actions/key-requests";
import type { CreateKeyRequestInput } from "@/lib/validations/organizations";

const FIELDS = [...KEY_SETTINGS_FIELDS, "reason"];

export function KeyRequestForm(context: KeySettingsContext) {
  const { slug } = useOrg();
  const router = useRouter();
  const action = useFormAction(createKeyRequestAction, {
    fields: FIELDS,
    toInput: (form): CreateKeyRequestInput & { org: string } => ({
      org: slug,
      ...keySettingsFromForm(form),
      reason: String(form.get("reason") ?? ""),
    }),
    onSuccess: () => router.push(`/dashboard/${slug}/requests`),
  });

  return (
    <form {...action.formProps} noValidate className="flex max-w-xl flex-col gap-1">
      <ActionError failure={action.failure} />
      <KeySettingsFields {...context} errors={action.errors} />
      <ReasonField hint="What the key is for: the administrators decide on it." error={action.errors.reason} />
      <FormButtons label="Submit request" pendingLabel="Submitting…" pending={action.pending} />
    </form>
  );
}
