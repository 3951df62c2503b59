"use client";
// Expiry picker: never, 7/30/90 days, or a custom date (edit forms also offer "keep"). expiryFromForm reads it.
import { useState } from "react";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import { ApiError } from "@/lib/errors";

const DAY_MS = 24 * 60 * 60 * 1000;
const PRESETS = [
  { value: "never", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "custom", label: "Custom date" },
];

// The chosen expiry as the schemas take it: an ISO date-time, null (never) or undefined (keep); a custom choice without
// a date throws, shown next to the field.
export function expiryFromForm(form: FormData, now = Date.now()): string | null | undefined {
  const choice = String(form.get("expiry") ?? "never");
  if (choice === "keep") return undefined;
  if (choice === "never") return null;
  if (choice === "custom") {
    const date = String(form.get("expiryDate") ?? "");
    // The end of the chosen day in the user's time zone.
    if (!date) throw new ApiError("invalid_request", "Choose a date", "expiresAt");
    return new Date(`${date}T23:59:59`).toISOString();
  }
  return new Date(now + Number(choice) * DAY_MS).toISOString();
}

// The longest preset a maximum lifetime allows (a 30-day policy starts at 30 days), else "never".
function defaultChoice(maxDays: number | null | undefined): string {
  if (!maxDays) return "never";
  const allowed = PRESETS.filter((p) => Number(p.value) <= maxDays);
  return allowed.length ? allowed[allowed.length - 1].value : "custom";
}

export function ExpiryField({
  error,
  keepLabel,
  maxDays,
}: {
  error?: string;
  keepLabel?: string;
  // The organization's maximum key lifetime, shown as a hint (the server enforces it).
  maxDays?: number | null;
}) {
  const [choice, setChoice] = useState(keepLabel ? "keep" : defaultChoice(maxDays));
  const options = keepLabel ? [{ value: "keep", label: keepLabel }, ...PRESETS] : PRESETS;
  return (
    <div className="flex flex-col">
      <SelectField
        label="Expires"
        name="expiry"
        value={choice}
        onChange={(e) => setChoice(e.target.value)}
        options={options}
        error={choice === "custom" ? undefined : error}
        hint={maxDays ? `Organization policy: keys expire within ${maxDays} days` : undefined}
      />
      {choice === "custom" ? <TextField label="Expiry date" name="expiryDate" type="date" error={error} /> : null}
    </div>
  );
}
