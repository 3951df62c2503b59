// Prepaid credits on the generate and edit forms: credits to start with (blank = unlimited) and an optional refill to an
// amount at each UTC day or month. creditsFromForm reads it as the shared schema's `credits`.
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";

export type CreditsValue = { remaining: number; refill: { amount: number; interval: "day" | "month" } | null } | null;

const numberOrBlank = (form: FormData, name: string) => {
  const text = String(form.get(name) ?? "").trim();
  return text === "" ? null : Number(text);
};

// The credits as the schemas take them: null (unlimited) when both amounts are blank; a refill without a starting
// amount starts full. Non-numbers pass through as NaN, which the shared schema reports on the field.
export function creditsFromForm(form: FormData): CreditsValue {
  const remaining = numberOrBlank(form, "creditsRemaining");
  const refillAmount = numberOrBlank(form, "creditsRefillAmount");
  if (remaining === null && refillAmount === null) return null;
  const interval = String(form.get("creditsRefillInterval") ?? "month") === "day" ? "day" : "month";
  return {
    remaining: remaining ?? refillAmount!,
    refill: refillAmount === null ? null : { amount: refillAmount, interval },
  };
}

// Whether two credit settings are the same (the edit form sends credits only when they changed).
export function sameCredits(a: CreditsValue, b: CreditsValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function CreditsField({
  defaultValue = null,
  errors,
}: {
  defaultValue?: CreditsValue;
  errors: Partial<Record<string, string>>;
}) {
  return (
    <fieldset className="mb-3 rounded-lg border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium">Credits</legend>
      <p className="mb-2 text-xs text-slate-600">
        Each verification spends credits (its cost, 1 by default); when they run out the key is refused with
        USAGE_EXCEEDED. Leave both blank for unlimited.
      </p>
      {errors.credits ? (
        <p role="alert" className="mb-2 text-sm text-red-700">
          {errors.credits}
        </p>
      ) : null}
      <TextField
        label="Balance"
        name="creditsRemaining"
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        placeholder="Unlimited"
        defaultValue={defaultValue?.remaining ?? ""}
        error={errors["credits.remaining"]}
      />
      <div className="grid grid-cols-1 gap-x-3 sm:grid-cols-2">
        <TextField
          label="Refill to"
          name="creditsRefillAmount"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          placeholder="No refill"
          defaultValue={defaultValue?.refill?.amount ?? ""}
          error={errors["credits.refill.amount"]}
        />
        <SelectField
          label="Refill every"
          name="creditsRefillInterval"
          defaultValue={defaultValue?.refill?.interval ?? "month"}
          options={[
            { value: "day", label: "Day (00:00 UTC)" },
            { value: "month", label: "Month (the 1st, UTC)" },
          ]}
          error={errors["credits.refill.interval"]}
        />
      </div>
    </fieldset>
  );
}
