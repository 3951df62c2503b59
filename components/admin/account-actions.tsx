"use client";
// Admin controls for one account (suspend or restore) or one organization (change plan, suspend or restore); a step-up
// is asked inline when the admin has MFA; the outcome is announced in a live region.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { changePlanAction, setOrganizationSuspendedAction, setSuspendedAction } from "@/lib/actions/admin";
import { Button } from "@/components/ui/button";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { PLANS } from "@/lib/validations/admin";

type Plan = (typeof PLANS)[number];

type Target = { kind: "account"; userId: string } | { kind: "organization"; organizationId: string; plan: string };

export function AccountActions({
  target,
  email,
  suspended,
  isSelf = false,
}: {
  target: Target;
  // The account's email or the organization's name, for labels.
  email: string;
  suspended: boolean;
  isSelf?: boolean;
}) {
  const router = useRouter();
  const id = target.kind === "account" ? target.userId : target.organizationId;
  const plan = target.kind === "organization" ? target.plan : "";
  const noun = target.kind === "account" ? "Account" : "Organization";
  const [selected, setSelected] = useState(plan);
  const [done, setDone] = useState<string | null>(null);
  const planForm = useStepUpFormAction(changePlanAction, {
    toInput: () => ({ organizationId: id, plan: selected as Plan }),
    onSuccess: (data) => {
      setDone(`Plan changed to ${data.plan}`);
      router.refresh();
    },
  });
  const onSuspended = (data: { suspended: boolean }) => {
    setDone(data.suspended ? `${noun} suspended` : `${noun} restored`);
    router.refresh();
  };
  const suspendAccount = useStepUpFormAction(setSuspendedAction, {
    toInput: () => ({ userId: id, suspended: !suspended }),
    onSuccess: onSuspended,
  });
  const suspendOrganization = useStepUpFormAction(setOrganizationSuspendedAction, {
    toInput: () => ({ organizationId: id, suspended: !suspended }),
    onSuccess: onSuspended,
  });
  const suspendForm = target.kind === "account" ? suspendAccount : suspendOrganization;
  const failure = planForm.failure ?? suspendForm.failure;
  const pending = planForm.pending || suspendForm.pending;

  const planId = `plan-${id}`;
  return (
    <div className="flex flex-col items-start gap-2">
      {target.kind === "organization" ? (
        <form {...planForm.formProps} className="flex items-center gap-2 whitespace-nowrap">
          <label htmlFor={planId} className="sr-only">
            Plan for {email}
          </label>
          <select
            id={planId}
            value={selected}
            onChange={(e) => setSelected(e.target.value)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
          >
            {PLANS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
          <Button
            type="submit"
            look="secondary"
            className="px-2 py-1"
            disabled={selected === plan}
            pending={pending}
            aria-label={`Change plan for ${email}`}
          >
            Change plan
          </Button>
        </form>
      ) : null}
      {isSelf ? null : (
        <form {...suspendForm.formProps}>
          <Button
            type="submit"
            look={suspended ? "secondary" : "danger"}
            className="px-2 py-1"
            pending={pending}
            aria-label={`${suspended ? "Restore" : "Suspend"} ${email}`}
          >
            {suspended ? "Restore" : "Suspend"}
          </Button>
        </form>
      )}
      <span role="status" aria-live="polite" className={`text-xs ${failure ? "text-red-600" : "text-emerald-700"}`}>
        {failure?.message ?? done ?? ""}
      </span>
    </div>
  );
}
