"use client";
// Edit a key's name, scopes and expiry; only changed fields are sent.
import { useOrg } from "@/components/orgs/org-context";
import { useRouter } from "next/navigation";
import { updateKeyAction } from "@/lib/actions/keys";
import { Alert } from "@/components/ui/alert";
import { FormButtons } from "@/components/ui/form-buttons";
import { TextField } from "@/components/ui/text-field";
import { formatDateTime } from "@/lib/format-date";
import type { KeyObject } from "@/lib/keys/record";
import { useFormAction } from "@/components/ui/use-form-action";
import { ApiError } from "@/lib/api/errors";
import type { UpdateKeyInput } from "@/lib/validations/keys";
import { ActionError } from "./action-error";
import { ExpiryField, expiryFromForm } from "./expiry-field";
import { ScopesField } from "./scopes-field";

const FIELDS = ["name", "scopes", "expiresAt"] as const;

export function EditKeyForm({
  keyObject,
  mfaEnabled,
  maxLifetimeDays,
}: {
  keyObject: KeyObject;
  mfaEnabled: boolean;
  maxLifetimeDays?: number | null;
}) {
  const { slug } = useOrg();
  const router = useRouter();
  const action = useFormAction(updateKeyAction, {
    fields: FIELDS,
    stepUp: true,
    toInput: (form) => {
      const expiresAt = expiryFromForm(form);
      if (expiresAt === "") throw new ApiError("invalid_request", "Choose a date", "expiresAt");
      const name = String(form.get("name") ?? "");
      const scopes = form.getAll("scopes").map(String);
      const changes: UpdateKeyInput = {
        ...(name !== keyObject.name ? { name } : {}),
        ...(scopes.join() !== keyObject.scopes.join() ? { scopes } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      };
      if (Object.keys(changes).length === 0)
        throw new ApiError("invalid_request", "Nothing to save: change the name, scopes or expiry first.");
      return { org: slug, id: keyObject.id, ...changes };
    },
    onSuccess: () => {
      router.refresh();
    },
  });

  return (
    <>
      <form {...action.formProps} noValidate className="flex flex-col gap-1" aria-label="Edit key">
        <ActionError failure={action.failure} />
        {action.result?.ok ? <Alert tone="success">Saved.</Alert> : null}
        <TextField label="Name" name="name" defaultValue={keyObject.name} maxLength={64} error={action.errors.name} />
        <ScopesField error={action.errors.scopes} defaultValue={keyObject.scopes} mfaEnabled={mfaEnabled} />
        <ExpiryField
          error={action.errors.expiresAt}
          keepLabel={`Keep (${formatDateTime(keyObject.expiresAt, "never")})`}
          maxDays={maxLifetimeDays}
        />
        <FormButtons label="Save changes" pendingLabel="Saving…" pending={action.pending} />
      </form>
      {action.stepUpDialog}
    </>
  );
}
