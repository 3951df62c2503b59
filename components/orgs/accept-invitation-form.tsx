"use client";
// "Join <organization>": a plain form post to the accept action (works before JavaScript loads), which goes on to the
// organization's dashboard; a refusal (used, revoked meanwhile) shows above the button.
import { ActionError } from "@/components/keys/action-error";
import { Button } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import { acceptInvitationAction } from "@/lib/actions/members";

export function AcceptInvitationForm({ token, organization }: { token: string; organization: string }) {
  const form = useFormAction(acceptInvitationAction);
  return (
    <form {...form.formProps} className="flex flex-col gap-2">
      <input type="hidden" name="token" value={token} />
      <ActionError failure={form.failure} />
      <Button type="submit" pending={form.pending}>
        {form.pending ? "Joining…" : `Join ${organization}`}
      </Button>
    </form>
  );
}
