"use client";
// "Delete organization" (owners): the slug typed as confirmation and a step-up; its keys stop working at once.
import { useOrg } from "@/components/orgs/org-context";
import { ActionError } from "@/components/keys/action-error";
import { FormButtons } from "@/components/ui/form-buttons";
import { TextField } from "@/components/ui/text-field";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { deleteOrganizationAction } from "@/lib/actions/organizations";

export function DeleteOrganizationForm() {
  const { slug } = useOrg();
  const action = useStepUpFormAction(deleteOrganizationAction, {
    fields: ["confirmation"],
    toInput: (form) => ({ org: slug, confirmation: String(form.get("confirmation") ?? "") }),
  });
  return (
    <form {...action.formProps} noValidate className="flex max-w-md flex-col gap-1">
      <ActionError failure={action.failure} />
      <TextField
        label={`Type ${slug} to confirm`}
        name="confirmation"
        autoComplete="off"
        error={action.errors.confirmation}
      />
      <FormButtons label="Delete organization" pendingLabel="Deleting…" pending={action.pending} look="danger" />
    </form>
  );
}
