"use client";
// A member's role as a select with its own Save button: a plain form post to the change-role action, so it works
// before JavaScript loads; the refusal (owners only, last owner) shows beside it.
import { useRouter } from "next/navigation";
import { useOrg } from "@/components/orgs/org-context";
import { ActionError } from "@/components/keys/action-error";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { changeMemberRoleAction } from "@/lib/actions/members";
import { ROLE_LABELS, type OrgRole } from "@/lib/orgs/roles";

export function MemberRoleForm({
  userId,
  email,
  role,
  choices,
}: {
  userId: string;
  email: string;
  role: OrgRole;
  choices: readonly OrgRole[];
}) {
  const { slug } = useOrg();
  const router = useRouter();
  const form = useFormAction(changeMemberRoleAction, { fields: ["role"], onSuccess: () => router.refresh() });
  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-1">
      <input type="hidden" name="org" value={slug} />
      <input type="hidden" name="userId" value={userId} />
      <div className="flex items-end gap-2">
        <SelectField
          id={`role-${userId}`}
          label={`Role of ${email}`}
          name="role"
          defaultValue={role}
          options={choices.map((r) => ({ value: r, label: ROLE_LABELS[r] }))}
          error={form.errors.role}
          className="[&>label]:sr-only"
        />
        <Button type="submit" look="secondary" pending={form.pending} className="mb-[2px] px-3 py-1.5">
          {form.pending ? "Saving…" : "Save"}
        </Button>
      </div>
      <ActionError failure={form.failure} />
    </form>
  );
}
