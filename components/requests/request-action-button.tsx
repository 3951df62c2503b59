"use client";
// A key request's one-press action (approve, reveal), behind a step-up check; its failure shows above the button.
import { ActionError } from "@/components/keys/action-error";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { useOrg } from "@/components/orgs/org-context";
import { Button } from "@/components/ui/button";
import type { Action } from "@/lib/actions/define-action";

export function RequestActionButton<T>({
  action: run,
  id,
  label,
  pendingLabel,
  onSuccess,
}: {
  action: Action<{ org: string; id: string }, T>;
  id: string;
  label: string;
  pendingLabel: string;
  onSuccess: (result: T) => void;
}) {
  const { slug } = useOrg();
  const action = useStepUpFormAction(run, { fields: [], toInput: () => ({ org: slug, id }), onSuccess });
  return (
    <form {...action.formProps} className="flex flex-col gap-1">
      <ActionError failure={action.failure} />
      <Button type="submit" pending={action.pending}>
        {action.pending ? pendingLabel : label}
      </Button>
    </form>
  );
}
