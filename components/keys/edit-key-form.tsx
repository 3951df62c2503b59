"use client";
// Edit a key's name, scopes, permissions, expiry and credits; only changed fields are sent.
import { useOrg } from "@/components/orgs/org-context";
import { useRouter } from "next/navigation";
import { updateKeyAction } from "@/lib/actions/keys";
import { Alert } from "@/components/ui/alert";
import { FormButtons } from "@/components/ui/form-buttons";
import { TextField } from "@/components/ui/text-field";
import { formatDateTime } from "@/lib/format-date";
import type { KeyObject } from "@/lib/keys/record";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { ApiError } from "@/lib/errors";
import type { UpdateKeyInput } from "@/lib/validations/keys";
import { ActionError } from "./action-error";
import { CreditsField, creditsFromForm, sameCredits } from "./credits-field";
import { ExpiryField, expiryFromForm } from "./expiry-field";
import { PermissionsField, permissionsFromForm, type PermissionOption } from "./permissions-field";
import { ScopesField } from "./scopes-field";

const FIELDS = ["name", "scopes", "permissions", "expiresAt", "credits"] as const;

// The catalogue plus any permission the key holds that left it (revoked keys aside, removal is refused; this covers a
// race), so saving the form does not silently drop it.
function withHeld(catalogue: readonly PermissionOption[], held: readonly string[]): PermissionOption[] {
  const names = new Set(catalogue.map((p) => p.name));
  return [...catalogue, ...held.filter((n) => !names.has(n)).map((name) => ({ name, description: "" }))];
}

export function EditKeyForm({
  keyObject,
  mfaEnabled,
  maxLifetimeDays,
  permissionCatalogue = [],
}: {
  keyObject: KeyObject;
  mfaEnabled: boolean;
  maxLifetimeDays?: number | null;
  permissionCatalogue?: readonly PermissionOption[];
}) {
  const { slug } = useOrg();
  const router = useRouter();
  const action = useStepUpFormAction(updateKeyAction, {
    fields: FIELDS,
    toInput: (form) => {
      const expiresAt = expiryFromForm(form);
      const name = String(form.get("name") ?? "");
      const scopes = form.getAll("scopes").map(String);
      const permissions = permissionsFromForm(form).sort();
      const credits = creditsFromForm(form);
      const changes: UpdateKeyInput = {
        ...(name !== keyObject.name ? { name } : {}),
        ...(scopes.join() !== keyObject.scopes.join() ? { scopes } : {}),
        ...(permissions.join() !== keyObject.permissions.join() ? { permissions } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(sameCredits(credits, keyObject.credits) ? {} : { credits }),
      };
      if (Object.keys(changes).length === 0)
        throw new ApiError(
          "invalid_request",
          "Nothing to save: change the name, scopes, permissions, expiry or credits first.",
        );
      return { org: slug, id: keyObject.id, ...changes };
    },
    onSuccess: () => {
      router.refresh();
    },
  });

  return (
    <form {...action.formProps} noValidate className="flex flex-col gap-1" aria-label="Edit key">
      <ActionError failure={action.failure} />
      {action.result?.ok ? <Alert tone="success">Saved.</Alert> : null}
      <TextField label="Name" name="name" defaultValue={keyObject.name} maxLength={64} error={action.errors.name} />
      <ScopesField error={action.errors.scopes} defaultValue={keyObject.scopes} mfaEnabled={mfaEnabled} />
      <PermissionsField
        catalogue={withHeld(permissionCatalogue, keyObject.permissions)}
        defaultValue={keyObject.permissions}
        error={action.errors.permissions}
      />
      <ExpiryField
        error={action.errors.expiresAt}
        keepLabel={`Keep (${formatDateTime(keyObject.expiresAt, "never")})`}
        maxDays={maxLifetimeDays}
      />
      <CreditsField defaultValue={keyObject.credits} errors={action.errors} />
      <FormButtons label="Save changes" pendingLabel="Saving…" pending={action.pending} />
    </form>
  );
}
