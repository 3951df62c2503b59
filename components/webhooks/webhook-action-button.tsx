"use client";
// One button running a webhook action on a fixed input (enable, disable, send test event, redeliver), its failure or
// its success message shown beside it.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionError } from "@/components/keys/action-error";
import { Button, type ButtonLook } from "@/components/ui/button";
import { useFormAction } from "@/components/ui/use-form-action";
import type { Action } from "@/lib/actions/define-action";

export function WebhookActionButton<I, T>({
  action,
  input,
  label,
  pendingLabel,
  doneMessage,
  look = "secondary",
  accessibleLabel,
}: {
  action: Action<I, T>;
  input: I;
  label: string;
  pendingLabel: string;
  doneMessage?: string;
  look?: ButtonLook;
  accessibleLabel?: string;
}) {
  const router = useRouter();
  const [done, setDone] = useState(false);
  const form = useFormAction(action, {
    toInput: () => input,
    onSuccess: () => {
      setDone(true);
      router.refresh();
    },
  });
  return (
    <form {...form.formProps} className="flex flex-col gap-1">
      <ActionError failure={form.failure} />
      <Button type="submit" look={look} pending={form.pending} aria-label={accessibleLabel} className="self-start">
        {form.pending ? pendingLabel : label}
      </Button>
      <p aria-live="polite" className="text-xs text-slate-600">
        {done && doneMessage ? doneMessage : ""}
      </p>
    </form>
  );
}
