"use client";
// "New organization": a name and an optional slug; the action creates it (the user as owner) and opens it. Posts
// before JavaScript loads too.
import { createOrganizationAction } from "@/lib/actions/organizations";
import { ActionError } from "@/components/keys/action-error";
import { FormButtons } from "@/components/ui/form-buttons";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";

export function NewOrganizationForm() {
  const action = useFormAction(createOrganizationAction, { fields: ["name", "slug"] });
  return (
    <form {...action.formProps} noValidate className="flex max-w-md flex-col gap-1">
      <ActionError failure={action.failure} />
      <TextField label="Name" name="name" required maxLength={60} error={action.errors.name} autoFocus />
      <TextField
        label="Slug (optional)"
        name="slug"
        maxLength={40}
        hint="The organization's URL: lower-case letters, digits and dashes. Left blank, it is made from the name."
        error={action.errors.slug}
      />
      <FormButtons label="Create organization" pendingLabel="Creating…" pending={action.pending} />
    </form>
  );
}
