"use client";
// "Request a key": the key's settings and a reason for the administrators; on success, back to the requests page.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useOrg } from "@/components/orgs/org-context";
import { ActionError } from "@/components/keys/action-error";
import { AllowlistMfaNotice } from "@/components/keys/allowlist-mfa-notice";
import { ExpiryField, expiryFromForm } from "@/components/keys/expiry-field";
import { fromDrafts, IpAllowlistEditor, type AllowlistDraft } from "@/components/keys/ip-allowlist-editor";
import { RateLimitField, rateLimitFromForm } from "@/components/keys/rate-limit-field";
import { PermissionsField, permissionsFromForm, type PermissionOption } from "@/components/keys/permissions-field";
import { ScopesField } from "@/components/keys/scopes-field";
import { FormButtons } from "@/components/ui/form-buttons";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { createKeyRequestAction } from "@/lib/actions/key-requests";
import { ApiError } from "@/lib/errors";
import type { CreateKeyRequestInput } from "@/lib/validations/organizations";

const FIELDS = [
  "name",
  "environment",
  "scopes",
  "permissions",
  "expiresAt",
  "ipAllowlist",
  "rateLimit",
  "reason",
] as const;

export function KeyRequestForm({
  mfaEnabled,
  planLimit,
  maxLifetimeDays,
  permissionCatalogue,
}: {
  mfaEnabled: boolean;
  planLimit: number;
  maxLifetimeDays: number | null;
  permissionCatalogue: readonly PermissionOption[];
}) {
  const { slug } = useOrg();
  const router = useRouter();
  const [allowlist, setAllowlist] = useState<AllowlistDraft[]>([]);
  const action = useFormAction(createKeyRequestAction, {
    fields: FIELDS,
    toInput: (form): CreateKeyRequestInput & { org: string } => {
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
        reason: String(form.get("reason") ?? ""),
      };
    },
    onSuccess: () => router.push(`/dashboard/${slug}/requests`),
  });

  return (
    <form {...action.formProps} noValidate className="flex max-w-xl flex-col gap-1">
      <ActionError failure={action.failure} />
      <TextField label="Name" name="name" required maxLength={64} error={action.errors.name} autoFocus />
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
      {mfaEnabled ? null : <AllowlistMfaNotice />}
      <IpAllowlistEditor value={allowlist} onChange={setAllowlist} errors={action.errors} disabled={!mfaEnabled} />
      <TextField
        label="Reason"
        name="reason"
        required
        maxLength={500}
        hint="What the key is for: the administrators decide on it."
        error={action.errors.reason}
      />
      <FormButtons label="Submit request" pendingLabel="Submitting…" pending={action.pending} />
    </form>
  );
}
