"use client";
// Scope checkboxes (read, write, admin, or the ones offered) with the field error; says up front when admin needs MFA
// first. Used by the key forms and the CLI approval.
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
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
    <CheckboxGroup
      legend={legend}
      name="scopes"
      options={scopes.map((scope) => ({
        value: scope,
        label: (
          <>
            <span className="font-medium">{scope}</span> <span className="text-slate-600">— {HINTS[scope]}</span>
          </>
        ),
      }))}
      isChecked={(scope) => defaultValue.includes(scope)}
      onToggle={(scope, checked) => scope === "admin" && setAdmin(checked)}
      error={error}
    >
      {admin && !mfaEnabled ? (
        <Alert tone="warning">
          Admin-scope keys need two-factor authentication on your account.{" "}
          <Link href="/dashboard/settings/security" className="font-medium underline">
            Set it up in Security settings
          </Link>
        </Alert>
      ) : null}
    </CheckboxGroup>
  );
}
