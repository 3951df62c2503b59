"use client";
// Scope checkboxes (read, write, admin, or the ones offered) with the field error; says up front when admin needs MFA
// first. Used by the key forms and the CLI approval.
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import type { Scope } from "@/lib/generated/prisma/enums";
import { SCOPES } from "@/lib/keys/scopes";

const HINTS = {
  read: "List and read keys and usage",
  write: "Read and change data (implies read)",
  admin: "Create, rotate and revoke keys (implies write and read)",
};

export function ScopesField({
  error,
  defaultValue = ["read"],
  mfaEnabled,
  scopes = SCOPES,
  legend = "Scopes",
}: {
  error?: string;
  defaultValue?: readonly string[];
  mfaEnabled: boolean;
  // The scopes the user may choose here (the CLI approval offers those the organization allows them).
  scopes?: readonly Scope[];
  legend?: string;
}) {
  const [admin, setAdmin] = useState(defaultValue.includes("admin"));
  return (
    <fieldset aria-describedby="field-scopes-error" className="flex flex-col gap-1">
      <legend className="mb-1 text-sm font-medium text-slate-800">{legend}</legend>
      {scopes.map((scope) => (
        <label key={scope} className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="scopes"
            value={scope}
            defaultChecked={defaultValue.includes(scope)}
            onChange={scope === "admin" ? (e) => setAdmin(e.target.checked) : undefined}
            className="mt-0.5"
          />
          <span>
            <span className="font-medium">{scope}</span> <span className="text-slate-600">— {HINTS[scope]}</span>
          </span>
        </label>
      ))}
      {admin && !mfaEnabled ? (
        <Alert tone="warning">
          Admin-scope keys need two-factor authentication on your account.{" "}
          <Link href="/dashboard/settings/security" className="font-medium underline">
            Set it up in Security settings
          </Link>
        </Alert>
      ) : null}
      <p id="field-scopes-error" aria-live="polite" className="min-h-4 text-xs text-red-600">
        {error ?? ""}
      </p>
    </fieldset>
  );
}
