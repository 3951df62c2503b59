"use client";
// "Generate key": the form in a dialog, then the secret shown once; closing the dialog forgets it.
import { useOrg } from "@/components/orgs/org-context";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { generateKeyAction } from "@/lib/actions/keys";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { FormButtons } from "@/components/ui/form-buttons";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { ApiError } from "@/lib/errors";
import type { CreateKeyInput } from "@/lib/validations/keys";
import { ActionError } from "./action-error";
import { AllowlistMfaNotice } from "./allowlist-mfa-notice";
import { CreditsField, creditsFromForm } from "./credits-field";
import { ExpiryField, expiryFromForm } from "./expiry-field";
import { fromDrafts, IpAllowlistEditor, type AllowlistDraft } from "./ip-allowlist-editor";
import { RateLimitField, rateLimitFromForm } from "./rate-limit-field";
import { PermissionsField, permissionsFromForm, type PermissionOption } from "./permissions-field";
import { ScopesField } from "./scopes-field";
import { SecretReveal } from "./secret-reveal";

const FIELDS = [
  "name",
  "environment",
  "scopes",
  "permissions",
  "expiresAt",
  "ipAllowlist",
  "rateLimit",
  "credits",
] as const;

export function GenerateKeyDialog({
  mfaEnabled,
  planLimit,
  maxLifetimeDays,
  permissionCatalogue = [],
}: {
  mfaEnabled: boolean;
  planLimit: number;
  maxLifetimeDays?: number | null;
  permissionCatalogue?: readonly PermissionOption[];
}) {
  const { slug } = useOrg();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [allowlist, setAllowlist] = useState<AllowlistDraft[]>([]);
  const action = useFormAction(generateKeyAction, {
    fields: FIELDS,
    stepUp: true,
    toInput: (form): CreateKeyInput & { org: string } => {
      const expiresAt = expiryFromForm(form);
      if (expiresAt === "") throw new ApiError("invalid_request", "Choose a date", "expiresAt");
      return {
        org: slug,
        name: String(form.get("name") ?? ""),
        environment: String(form.get("environment")) as "live" | "test",
        scopes: form.getAll("scopes").map(String),
        permissions: permissionsFromForm(form),
        expiresAt,
        ipAllowlist: fromDrafts(allowlist),
        rateLimit: rateLimitFromForm(form),
        credits: creditsFromForm(form),
      };
    },
    onSuccess: (created) => {
      setSecret(created.secret);
      router.refresh();
    },
  });

  function close() {
    setOpen(false);
    setSecret(null);
    setAllowlist([]);
    action.reset();
  }

  return (
    <>
      <Button onClick={() => setOpen(true)}>Generate key</Button>
      <Dialog open={open} onClose={close} title={secret ? "Your new key" : "Generate API key"}>
        {secret ? (
          <SecretReveal secret={secret} onDone={close} />
        ) : (
          <form {...action.formProps} noValidate className="flex flex-col gap-1">
            <TextField
              label="Name"
              name="name"
              required
              maxLength={64}
              hint="1–64 characters, unique among your active keys."
              error={action.errors.name}
              autoFocus
            />
            <SelectField
              label="Environment"
              name="environment"
              defaultValue="live"
              options={[
                { value: "live", label: "Live" },
                { value: "test", label: "Test" },
              ]}
              error={action.errors.environment}
            />
            <ScopesField error={action.errors.scopes} mfaEnabled={mfaEnabled} />
            <PermissionsField catalogue={permissionCatalogue} error={action.errors.permissions} />
            <ExpiryField error={action.errors.expiresAt} maxDays={maxLifetimeDays} />
            <RateLimitField planLimit={planLimit} error={action.errors.rateLimit} />
            <CreditsField errors={action.errors} />
            {mfaEnabled ? null : <AllowlistMfaNotice />}
            <IpAllowlistEditor
              value={allowlist}
              onChange={setAllowlist}
              errors={action.errors}
              disabled={!mfaEnabled}
            />
            <ActionError failure={action.failure} requestHref={`/dashboard/${slug}/requests/new`} />
            <p aria-live="polite" className="text-sm text-red-700">
              {Object.keys(action.errors).length > 0 ? "Check the fields marked above." : ""}
            </p>
            <FormButtons label="Generate" pendingLabel="Generating…" pending={action.pending} onCancel={close} />
          </form>
        )}
      </Dialog>
      {action.stepUpDialog}
    </>
  );
}
