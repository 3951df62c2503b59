"use client";
// The organization's policies (admins; read-only for others): maximum key lifetime, allowlist for admin-scope keys,
// MFA for members, which developers' keys need approval, and what a leaked key triggers.
import { useRouter } from "next/navigation";
import { useOrg } from "@/components/orgs/org-context";
import { ActionError } from "@/components/keys/action-error";
import { Alert } from "@/components/ui/alert";
import { FormButtons } from "@/components/ui/form-buttons";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { updatePoliciesAction } from "@/lib/actions/organizations";
import { ApiError } from "@/lib/errors";
import type { OrgPolicies } from "@/lib/orgs/policies";
import type { PoliciesInput } from "@/lib/validations/organizations";

const FIELDS = [
  "maxKeyLifetimeDays",
  "requireAllowlistForAdmin",
  "requireMfa",
  "keyRequestPolicy",
  "approvalPermissions",
  "leakResponse",
] as const;

function toInput(form: FormData, slug: string): PoliciesInput & { org: string } {
  const days = String(form.get("maxKeyLifetimeDays") ?? "").trim();
  if (days && !/^\d+$/.test(days))
    throw new ApiError("invalid_request", "Enter a whole number of days, or leave it blank", "maxKeyLifetimeDays");
  return {
    org: slug,
    maxKeyLifetimeDays: days ? Number(days) : null,
    requireAllowlistForAdmin: form.get("requireAllowlistForAdmin") === "on",
    requireMfa: form.get("requireMfa") === "on",
    keyRequestPolicy: String(form.get("keyRequestPolicy")) as PoliciesInput["keyRequestPolicy"],
    approvalPermissions: String(form.get("approvalPermissions") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean),
    leakResponse: String(form.get("leakResponse")) as PoliciesInput["leakResponse"],
  };
}

function Checkbox({
  name,
  label,
  hint,
  defaultChecked,
}: {
  name: string;
  label: string;
  hint: string;
  defaultChecked: boolean;
}) {
  return (
    <label className="flex items-start gap-2 py-1 text-sm">
      <input type="checkbox" name={name} defaultChecked={defaultChecked} className="mt-0.5" />
      <span>
        <span className="font-medium">{label}</span> <span className="text-slate-600">— {hint}</span>
      </span>
    </label>
  );
}

export function PoliciesForm({ policies, editable }: { policies: OrgPolicies; editable: boolean }) {
  const { slug } = useOrg();
  const router = useRouter();
  const action = useFormAction(updatePoliciesAction, {
    fields: FIELDS,
    toInput: (form) => toInput(form, slug),
    onSuccess: () => router.refresh(),
  });
  return (
    <form {...action.formProps} noValidate className="flex max-w-xl flex-col gap-1">
      {action.result?.ok ? <Alert tone="success">Policies saved.</Alert> : null}
      <fieldset disabled={!editable} className="flex flex-col gap-1">
        <TextField
          label="Maximum key lifetime (days)"
          name="maxKeyLifetimeDays"
          inputMode="numeric"
          defaultValue={policies.maxKeyLifetimeDays ?? ""}
          hint="1–3650. Blank: no maximum. When set, every key must expire within it."
          error={action.errors.maxKeyLifetimeDays}
        />
        <Checkbox
          name="requireAllowlistForAdmin"
          label="IP allowlist required for admin-scope keys"
          hint="admin-scope keys must name the addresses they are used from"
          defaultChecked={policies.requireAllowlistForAdmin}
        />
        <Checkbox
          name="requireMfa"
          label="Two-factor authentication required for members"
          hint="members without it are sent to enrolment first"
          defaultChecked={policies.requireMfa}
        />
        <SelectField
          label="Key requests"
          name="keyRequestPolicy"
          defaultValue={policies.keyRequestPolicy}
          options={[
            { value: "never", label: "Never: developers create keys directly" },
            { value: "admin_scope", label: "For admin scope or listed permissions" },
            { value: "always", label: "Always: every developer key needs approval" },
          ]}
          hint="Whose keys need an administrator's approval (admins and owners never do)."
          error={action.errors.keyRequestPolicy}
        />
        <TextField
          label="Permissions needing approval"
          name="approvalPermissions"
          defaultValue={policies.approvalPermissions.join(", ")}
          hint="With “For admin scope or listed permissions”: resource:action names, separated by commas."
          error={action.errors.approvalPermissions ?? action.errors["approvalPermissions.0"]}
        />
        <SelectField
          label="Leak response"
          name="leakResponse"
          defaultValue={policies.leakResponse}
          options={[
            { value: "revoke", label: "Revoke the key at once" },
            { value: "notify", label: "Notify only" },
          ]}
          hint="When one of the organization's keys is found in public (GitHub secret scanning, or anyone's report). Either way the admins see it on the overview and the key page, and by mail when mail is set up."
          error={action.errors.leakResponse}
        />
      </fieldset>
      <ActionError failure={action.failure} />
      {editable ? <FormButtons label="Save policies" pendingLabel="Saving…" pending={action.pending} /> : null}
    </form>
  );
}
