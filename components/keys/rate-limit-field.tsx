// A key's own rate limit: blank keeps the plan's default, which the hint names. rateLimitFromForm reads it.
import { TextField } from "@/components/ui/text-field";

// The limit as the schemas take it: null when blank (the plan's default), else the number typed (NaN when it is not one,
// which the shared schema reports).
export function rateLimitFromForm(form: FormData): number | null {
  const text = String(form.get("rateLimit") ?? "").trim();
  return text === "" ? null : Number(text);
}

export function RateLimitField({
  planLimit,
  defaultValue,
  error,
}: {
  planLimit: number;
  defaultValue?: number | null;
  error?: string;
}) {
  return (
    <TextField
      label="Rate limit (requests per minute)"
      name="rateLimit"
      type="number"
      inputMode="numeric"
      min={1}
      step={1}
      placeholder={String(planLimit)}
      defaultValue={defaultValue ?? ""}
      hint={`Leave blank for your plan's default: ${planLimit} requests per minute. A key's own limit can only be lower.`}
      error={error}
    />
  );
}
