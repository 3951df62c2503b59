"use client";
// The settings a new key is made with (name, environment, scopes, permissions, expiry, rate limit, credits, IP
// allowlist), shared by the Generate dialog and the key request form; keySettingsFromForm reads them back.
import { useState } from "react";
import { TextField } from "@/components/ui/text-field";
import type { FieldErrors } from "@/lib/validations/field-errors";
import { AllowlistMfaNotice } from "./allowlist-mfa-notice";
import { CreditsField } from "./credits-field";
import { EnvironmentField } from "./environment-field";
import { ExpiryField, expiryFromForm } from "./expiry-field";
import { draftsFromForm, fromDrafts, IpAllowlistEditor, type AllowlistDraft } from "./ip-allowlist-editor";
import { PermissionsField, permissionsFromForm, type PermissionOption } from "./permissions-field";
import { RateLimitField, rateLimitFromForm } from "./rate-limit-field";
import { ScopesField } from "./scopes-field";

// The fields keySettingsFromForm fills (credits are the Generate dialog's own: a request does not set them).
export const KEY_SETTINGS_FIELDS = [
  "name",
  "environment",
  "scopes",
  "permissions",
  "expiresAt",
  "ipAllowlist",
  "rateLimit",
] as const;

// What the organization and the viewer allow: shown as hints and disabled fields (the server enforces them).
export type KeySettingsContext = {
  mfaEnabled: boolean;
  planLimit: number;
  maxLifetimeDays?: number | null;
  permissionCatalogue?: readonly PermissionOption[];
};

export function KeySettingsFields({
  mfaEnabled,
  planLimit,
  maxLifetimeDays,
  permissionCatalogue = [],
  errors,
  withCredits = false,
}: KeySettingsContext & { errors: FieldErrors; withCredits?: boolean }) {
  const [allowlist, setAllowlist] = useState<AllowlistDraft[]>([]);
  return (
    <>
      <TextField
        label="Name"
        name="name"
        required
        maxLength={64}
        hint="1–64 characters, unique among your active keys."
        error={errors.name}
        autoFocus
      />
      <EnvironmentField error={errors.environment} />
      <ScopesField error={errors.scopes} mfaEnabled={mfaEnabled} />
      <PermissionsField catalogue={permissionCatalogue} error={errors.permissions} />
      <ExpiryField error={errors.expiresAt} maxDays={maxLifetimeDays} />
      <RateLimitField planLimit={planLimit} error={errors.rateLimit} />
      {withCredits ? <CreditsField errors={errors} /> : null}
      {mfaEnabled ? null : <AllowlistMfaNotice />}
      <IpAllowlistEditor value={allowlist} onChange={setAllowlist} errors={errors} disabled={!mfaEnabled} />
    </>
  );
}

// The settings as the shared schemas take them (a custom expiry without a date throws, shown by the field).
export function keySettingsFromForm(form: FormData) {
  return {
    name: String(form.get("name") ?? ""),
    environment: String(form.get("environment")) as "live" | "test",
    scopes: form.getAll("scopes").map(String),
    permissions: permissionsFromForm(form),
    expiresAt: expiryFromForm(form),
    ipAllowlist: fromDrafts(draftsFromForm(form)),
    rateLimit: rateLimitFromForm(form),
  };
}
