"use client";
// Edit a key's name, scopes and expiry; only changed fields are sent.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { updateKeyAction } from "@/lib/actions/keys";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
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

export function EditKeyForm({ keyObject, mfaEnabled }: { keyObject: KeyObject; mfaEnabled: boolean }) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const action = useFormAction(updateKeyAction, {
    fields: FIELDS,
    stepUp: true,
    toInput: (form) => {
      setSaved(false);
      const expiresAt = expiryFromForm(form);
      if (expiresAt === "") throw new ApiError("invalid_request", "Choose a date", "expiresAt");
      const name = String(form.get("name") ?? "");
      const scopes = form.getAll("scopes").map(String);
      const changes: UpdateKeyInput = {
        ...(name !== keyObject.name ? { name } : {}),
        ...(scopes.join() !== keyObject.scopes.join() ? { scopes } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      };
      if (Object.keys(changes).length === 0) throw new ApiError("invalid_request", "Nothing to save: change the name, scopes or expiry first.");
      return { id: keyObject.id, ...changes };
    },
    onSuccess: () => {
      setSaved(true);
      router.refresh();
    },
  });

  return (
    <>
      <form {...action.formProps} noValidate className="flex flex-col gap-1" aria-label="Edit key">
        <ActionError failure={action.failure} />
        {saved ? <Alert tone="success">Saved.</Alert> : null}
        <TextField label="Name" name="name" defaultValue={keyObject.name} maxLength={64} error={action.errors.name} />
        <ScopesField error={action.errors.scopes} defaultValue={keyObject.scopes} mfaEnabled={mfaEnabled} />
        <ExpiryField error={action.errors.expiresAt} keepLabel={`Keep (${formatDateTime(keyObject.expiresAt, "never")})`} />
        <div>
          <Button type="submit" disabled={action.pending}>
            {action.pending ? "Saving…" : "Save changes"}
          </Button>
        </div>
      </form>
      {action.stepUpDialog}
    </>
  );
}
