"use client";
// The key page's "Credit balance" section: what remains, with a bar against the refill amount (or, without a refill, the amount
// the key was given), the refill rule, and for administrators an "Add credits" form (an atomic top-up, audited).
import { Card } from "@/components/ui/card";
import { useRouter } from "next/navigation";
import { useOrg } from "@/components/orgs/org-context";
import { Alert } from "@/components/ui/alert";
import { FormButtons } from "@/components/ui/form-buttons";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { addCreditsAction } from "@/lib/actions/keys";
import type { KeyObject } from "@/lib/keys/record";
import { ActionError } from "./action-error";

const FIELDS = ["amount"] as const;
const n = (v: number) => v.toLocaleString("en-US");

export function CreditsSection({
  keyObject,
  baseline,
  canAdd,
}: {
  keyObject: KeyObject;
  // What the bar measures against when the key has no refill: the amount it was given (and added since).
  baseline: number;
  canAdd: boolean;
}) {
  const credits = keyObject.credits;
  return (
    <Card id="credits" title="Credit balance" className="mt-6">
      {credits ? (
        <CreditsMeter remaining={credits.remaining} max={credits.refill?.amount ?? baseline} />
      ) : (
        <p className="text-sm text-slate-600">Unlimited: verifications of this key spend no credits.</p>
      )}
      {credits ? (
        <p className="mt-2 text-sm text-slate-600">
          {credits.refill
            ? `Refilled to ${n(credits.refill.amount)} at the start of every ${credits.refill.interval} (UTC).`
            : "No refill: add credits when they run out."}
        </p>
      ) : null}
      {credits && canAdd && !keyObject.revokedAt ? <AddCreditsForm keyId={keyObject.id} /> : null}
    </Card>
  );
}

function CreditsMeter({ remaining, max }: { remaining: number; max: number }) {
  const scale = Math.max(max, remaining, 1);
  const percent = Math.round((remaining / scale) * 100);
  return (
    <div>
      <p className="text-sm">
        <span className="text-2xl font-semibold" data-testid="credits-remaining">
          {n(remaining)}
        </span>{" "}
        <span className="text-slate-600">of {n(scale)} remaining</span>
      </p>
      <div
        role="meter"
        aria-label="Credits remaining"
        aria-valuemin={0}
        aria-valuemax={scale}
        aria-valuenow={remaining}
        className="mt-2 h-2 w-full overflow-hidden rounded-full bg-slate-100"
      >
        <div
          className={`h-full rounded-full ${percent <= 10 ? "bg-red-500" : "bg-brand-600"}`}
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}

function AddCreditsForm({ keyId }: { keyId: string }) {
  const { slug } = useOrg();
  const router = useRouter();
  const action = useFormAction(addCreditsAction, {
    fields: FIELDS,
    toInput: (form) => ({ org: slug, id: keyId, amount: Number(String(form.get("amount") ?? "").trim() || NaN) }),
    onSuccess: () => router.refresh(),
  });
  return (
    <form {...action.formProps} noValidate className="mt-4 flex flex-col gap-1" aria-label="Add credits">
      <ActionError failure={action.failure} />
      {action.result?.ok ? (
        <Alert tone="success">Credits added: {n(action.result.data.remaining)} remaining.</Alert>
      ) : null}
      <TextField
        label="Add credits"
        name="amount"
        type="number"
        inputMode="numeric"
        min={1}
        step={1}
        error={action.errors.amount}
      />
      <FormButtons label="Add credits" pendingLabel="Adding…" pending={action.pending} />
    </form>
  );
}
