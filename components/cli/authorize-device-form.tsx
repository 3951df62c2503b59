"use client";
// Approve or deny `keyhold login`: the code to compare with the terminal, the machine, the organization and the scopes
// of the key the CLI will get; approving asks for a fresh authenticator code first (step-up).
import { useState } from "react";
import { ActionError } from "@/components/keys/action-error";
import { EnvironmentField } from "@/components/keys/environment-field";
import { ScopesField } from "@/components/keys/scopes-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { useFormAction } from "@/components/ui/use-form-action";
import { approveDeviceAction, denyDeviceAction } from "@/lib/actions/cli-device";
import type { DeviceOrgOption } from "@/lib/cli-device/service";

export function AuthorizeDeviceForm({
  code,
  clientName,
  expiresAt,
  email,
  organizations,
}: {
  code: string;
  clientName: string;
  expiresAt: string;
  email: string;
  organizations: DeviceOrgOption[];
}) {
  const [slug, setSlug] = useState(organizations.find((o) => o.scopes.length)?.slug ?? organizations[0]?.slug ?? "");
  const [done, setDone] = useState<"approved" | "denied" | null>(null);
  const org = organizations.find((o) => o.slug === slug);
  const approve = useStepUpFormAction(approveDeviceAction, {
    fields: ["environment", "scopes"],
    toInput: (form) => ({
      org: slug,
      code,
      environment: String(form.get("environment")) as "live" | "test",
      scopes: form.getAll("scopes").map(String),
    }),
    onSuccess: () => setDone("approved"),
  });
  const deny = useFormAction(denyDeviceAction, {
    toInput: () => ({ code }),
    onSuccess: () => setDone("denied"),
  });

  if (done === "approved")
    return (
      <Alert tone="success">
        Approved. Return to your terminal: <code>keyhold</code> on {clientName} is now signed in.
      </Alert>
    );
  if (done === "denied")
    return <Alert tone="info">Denied. The CLI on {clientName} was not signed in; you can close this page.</Alert>;

  return (
    <div className="flex flex-col gap-4">
      <div className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
        <p>
          <span className="text-slate-600">Code</span>{" "}
          <strong className="font-mono text-base tracking-widest" data-testid="device-code">
            {code}
          </strong>
        </p>
        <p className="mt-1 break-words">
          <span className="text-slate-600">Machine</span> <strong>{clientName}</strong>
        </p>
        <p className="mt-1 text-xs text-slate-600">
          Check that the terminal shows the same code. Expires at {new Date(expiresAt).toLocaleTimeString()}. Signed in
          as {email}.
        </p>
      </div>
      {organizations.length === 0 ? (
        <Alert tone="warning">
          You cannot create keys in any of your organizations, so you cannot sign the CLI in. Ask an administrator for
          the developer role.
        </Alert>
      ) : (
        <form {...approve.formProps} noValidate className="flex flex-col gap-1">
          <ActionError failure={approve.failure ?? deny.failure} />
          <SelectField
            label="Organization"
            name="org"
            value={slug}
            onChange={(e) => setSlug(e.target.value)}
            options={organizations.map((o) => ({ value: o.slug, label: o.name }))}
          />
          <EnvironmentField error={approve.errors.environment} />
          {org && org.scopes.length === 0 ? (
            <Alert tone="warning">{org.refusal ?? "You cannot create keys here."}</Alert>
          ) : (
            <ScopesField
              key={slug}
              scopes={org?.scopes ?? []}
              legend="Scopes of the CLI's key"
              error={approve.errors.scopes}
              mfaEnabled
            />
          )}
          <div className="mt-2 flex flex-wrap justify-end gap-2">
            <Button type="submit" form="cli-deny" look="secondary" pending={deny.pending || approve.pending}>
              {deny.pending ? "Denying…" : "Deny"}
            </Button>
            <Button type="submit" disabled={!org?.scopes.length} pending={approve.pending || deny.pending}>
              {approve.pending ? "Approving…" : "Approve"}
            </Button>
          </div>
        </form>
      )}
      {organizations.length === 0 ? (
        <div className="flex flex-col gap-1">
          <ActionError failure={deny.failure} />
          <Button type="submit" form="cli-deny" look="secondary" pending={deny.pending}>
            {deny.pending ? "Denying…" : "Deny"}
          </Button>
        </div>
      ) : null}
      <form id="cli-deny" {...deny.formProps} />
    </div>
  );
}
