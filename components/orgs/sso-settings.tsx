"use client";
// The organization's single sign-on (owners): claimed email domains (pending or approved by the instance
// administrator), each with its default role and "require SSO", and whether the MFA policy accepts the IdP's MFA.
import { useOrg } from "@/components/orgs/org-context";
import { ActionError } from "@/components/keys/action-error";
import { Alert } from "@/components/ui/alert";
import { FormButtons } from "@/components/ui/form-buttons";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import {
  claimSsoDomainAction,
  removeSsoDomainAction,
  updateSsoDomainAction,
  updateSsoSettingsAction,
} from "@/lib/actions/sso";

export type SsoDomainRow = {
  id: string;
  domain: string;
  defaultRole: "admin" | "developer" | "viewer" | "owner";
  requireSso: boolean;
  status: "pending" | "approved";
};

const ROLE_OPTIONS = [
  { value: "viewer", label: "Viewer" },
  { value: "developer", label: "Developer" },
  { value: "admin", label: "Admin" },
];

function ClaimDomainForm() {
  const { slug } = useOrg();
  const action = useFormAction(claimSsoDomainAction, { fields: ["domain", "defaultRole"] });
  return (
    <form {...action.formProps} noValidate className="flex max-w-xl flex-col gap-1">
      <input type="hidden" name="org" value={slug} />
      <ActionError failure={action.failure} />
      {action.result?.ok ? (
        <Alert tone="success">Domain claimed: the instance administrator approves it on /admin.</Alert>
      ) : null}
      <TextField label="Email domain" name="domain" placeholder="example.com" error={action.errors.domain} />
      <SelectField
        label="Default role"
        name="defaultRole"
        defaultValue="developer"
        options={ROLE_OPTIONS}
        hint="The role SSO users of this domain get when they first sign in."
        error={action.errors.defaultRole}
      />
      <FormButtons label="Claim domain" pendingLabel="Claiming…" pending={action.pending} />
    </form>
  );
}

function DomainRow({ claim }: { claim: SsoDomainRow }) {
  const { slug } = useOrg();
  const update = useFormAction(updateSsoDomainAction, { fields: ["defaultRole", "requireSso"] });
  const remove = useFormAction(removeSsoDomainAction);
  return (
    <li className="rounded-lg border border-slate-200 p-4" aria-label={`Domain ${claim.domain}`}>
      <p className="mb-2 text-sm">
        <span className="font-mono font-medium">{claim.domain}</span>{" "}
        <span className="text-slate-600">
          — {claim.status === "approved" ? "Approved" : "Pending approval by the instance administrator"}
        </span>
      </p>
      <form {...update.formProps} noValidate className="flex flex-col gap-1">
        <input type="hidden" name="org" value={slug} />
        <input type="hidden" name="id" value={claim.id} />
        <ActionError failure={update.failure} />
        {update.result?.ok ? <Alert tone="success">Saved.</Alert> : null}
        <SelectField
          label={`Default role for ${claim.domain}`}
          name="defaultRole"
          defaultValue={claim.defaultRole}
          options={ROLE_OPTIONS}
          error={update.errors.defaultRole}
        />
        <label className="flex items-start gap-2 py-1 text-sm">
          <input type="checkbox" name="requireSso" defaultChecked={claim.requireSso} className="mt-0.5" />
          <span>
            <span className="font-medium">Require SSO for {claim.domain}</span>{" "}
            <span className="text-slate-600">
              — its users cannot sign in with a password; their password sessions end (once approved)
            </span>
          </span>
        </label>
        <FormButtons label="Save domain" pendingLabel="Saving…" pending={update.pending} />
      </form>
      <form {...remove.formProps} className="mt-2">
        <input type="hidden" name="org" value={slug} />
        <input type="hidden" name="id" value={claim.id} />
        <ActionError failure={remove.failure} />
        <FormButtons label={`Remove ${claim.domain}`} pendingLabel="Removing…" pending={remove.pending} look="danger" />
      </form>
    </li>
  );
}

function IdpMfaForm({ acceptIdpMfa }: { acceptIdpMfa: boolean }) {
  const { slug } = useOrg();
  const action = useFormAction(updateSsoSettingsAction, { fields: ["acceptIdpMfa"] });
  return (
    <form {...action.formProps} noValidate className="mt-4 flex max-w-xl flex-col gap-1">
      <input type="hidden" name="org" value={slug} />
      <ActionError failure={action.failure} />
      {action.result?.ok ? <Alert tone="success">SSO settings saved.</Alert> : null}
      <label className="flex items-start gap-2 py-1 text-sm">
        <input type="checkbox" name="acceptIdpMfa" defaultChecked={acceptIdpMfa} className="mt-0.5" />
        <span>
          <span className="font-medium">Accept the identity provider&apos;s MFA</span>{" "}
          <span className="text-slate-600">
            — an SSO sign-in whose provider reports MFA (amr: mfa, otp, hwk) meets &quot;MFA required&quot;. Key
            management still asks for Keyhold&apos;s own code (step-up) when the member has one.
          </span>
        </span>
      </label>
      <FormButtons label="Save SSO settings" pendingLabel="Saving…" pending={action.pending} />
    </form>
  );
}

export function SsoSettings({ domains, acceptIdpMfa }: { domains: SsoDomainRow[]; acceptIdpMfa: boolean }) {
  return (
    <div className="flex flex-col gap-4">
      {domains.length > 0 ? (
        <ul className="flex flex-col gap-3">
          {domains.map((claim) => (
            <DomainRow key={claim.id} claim={claim} />
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No domain claimed yet.</p>
      )}
      <ClaimDomainForm />
      <IdpMfaForm acceptIdpMfa={acceptIdpMfa} />
    </div>
  );
}
