"use client";
// Name and slug of the organization (admins; read-only for others). A new slug moves every URL of the organization:
// the action redirects to the settings page at its new address.
import { useOrg } from "@/components/orgs/org-context";
import { ActionError } from "@/components/keys/action-error";
import { Alert } from "@/components/ui/alert";
import { FormButtons } from "@/components/ui/form-buttons";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { updateOrganizationAction } from "@/lib/actions/organizations";

export function OrganizationForm({ editable }: { editable: boolean }) {
  const { slug, name } = useOrg();
  const action = useFormAction(updateOrganizationAction, { fields: ["name", "slug"] });
  return (
    <form {...action.formProps} noValidate className="flex max-w-md flex-col gap-1">
      <input type="hidden" name="org" value={slug} />
      {action.result?.ok ? <Alert tone="success">Saved.</Alert> : null}
      <fieldset disabled={!editable} className="flex flex-col gap-1">
        <TextField label="Name" name="name" required maxLength={60} defaultValue={name} error={action.errors.name} />
        <TextField
          label="Slug"
          name="slug"
          required
          maxLength={40}
          defaultValue={slug}
          hint="Changing it changes every URL of the organization; old links stop working."
          error={action.errors.slug}
        />
      </fieldset>
      <ActionError failure={action.failure} />
      {editable ? <FormButtons label="Save" pendingLabel="Saving…" pending={action.pending} /> : null}
    </form>
  );
}
