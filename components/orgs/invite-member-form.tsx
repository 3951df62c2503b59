"use client";
// Invite someone by email with a role; the invitation link is then shown once with Copy (and mailed when the server
// can send mail).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionError } from "@/components/keys/action-error";
import { SecretReveal } from "@/components/keys/secret-reveal";
import { useOrg } from "@/components/orgs/org-context";
import { FormButtons } from "@/components/ui/form-buttons";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { createInvitationAction } from "@/lib/actions/members";
import { ROLE_LABELS, type OrgRole } from "@/lib/orgs/roles";

type Created = { url: string; email: string; mailed: boolean };

export function InviteMemberForm({ roles }: { roles: readonly OrgRole[] }) {
  const { slug } = useOrg();
  const router = useRouter();
  const [created, setCreated] = useState<Created | null>(null);
  const form = useFormAction(createInvitationAction, {
    fields: ["email", "role"],
    toInput: (data) => ({
      org: slug,
      email: String(data.get("email") ?? ""),
      role: String(data.get("role") ?? "") as OrgRole,
    }),
    onSuccess: ({ url, invitation, mailed }) => {
      setCreated({ url, email: invitation.email, mailed });
      router.refresh();
    },
  });

  if (created) {
    return (
      <SecretReveal
        secret={created.url}
        label={`Invitation link for ${created.email}`}
        warning={`${created.mailed ? `We mailed this link to ${created.email}. ` : ""}Copy it now to send it yourself: it will not be shown again. It works once, for 7 days, for ${created.email} only.`}
        onDone={() => {
          setCreated(null);
          form.reset();
        }}
      />
    );
  }

  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-2">
      <div className="flex flex-wrap items-start gap-3">
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          required
          error={form.errors.email}
          className="min-w-64 flex-1"
        />
        <SelectField
          label="Role"
          name="role"
          defaultValue="developer"
          options={roles.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          error={form.errors.role}
        />
      </div>
      <ActionError failure={form.failure} />
      <FormButtons label="Invite" pendingLabel="Inviting…" pending={form.pending} />
    </form>
  );
}
