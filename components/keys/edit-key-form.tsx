"use client";
// Edit a key's name, scopes and expiry; only changed fields are sent.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { updateKeyAction } from "@/lib/actions/keys";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import { formatDateTime } from "@/lib/format-date";
import type { KeyObject } from "@/lib/keys/record";
import { updateKeySchema, type UpdateKeyInput } from "@/lib/validations/keys";
import { fieldErrors } from "@/lib/validations/field-errors";
import { ActionError } from "./action-error";
import { ExpiryField, expiryFromForm } from "./expiry-field";
import { ScopesField } from "./scopes-field";
import { useKeyAction } from "./use-key-action";

const FIELDS = ["name", "scopes", "expiresAt"] as const;

export function EditKeyForm({ keyObject, mfaEnabled }: { keyObject: KeyObject; mfaEnabled: boolean }) {
  const router = useRouter();
  const action = useKeyAction(FIELDS);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const expiresAt = expiryFromForm(form);
    if (expiresAt === "") return action.setErrors({ expiresAt: "Choose a date" });
    const name = String(form.get("name") ?? "");
    const scopes = form.getAll("scopes").map(String);
    const input: UpdateKeyInput = {
      ...(name !== keyObject.name ? { name } : {}),
      ...(scopes.join() !== keyObject.scopes.join() ? { scopes } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
    if (Object.keys(input).length === 0) return action.setFailure({ code: "invalid", message: "Nothing to save: change the name, scopes or expiry first." });
    const local = updateKeySchema.safeParse(input);
    if (!local.success) return action.setErrors(fieldErrors(local.error));
    if (await action.run(() => updateKeyAction({ id: keyObject.id, ...input }))) {
      setSaved(true);
      router.refresh();
    }
  }

  return (
    <>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-1" aria-label="Edit key">
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
