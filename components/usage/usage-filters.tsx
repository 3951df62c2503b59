"use client";
// Range, interval and key filters for the usage page: a GET form (works without JavaScript); server-side errors appear next to their field.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";
import { TextField } from "@/components/ui/text-field";
import type { FieldErrors } from "@/lib/validations/field-errors";

export interface UsageFilterValues {
  range: string;
  from: string;
  to: string;
  interval: string;
  keyId: string;
}

const RANGES = [
  { value: "24h", label: "Last 24 hours" },
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "custom", label: "Custom…" },
];

const INTERVALS = [
  { value: "auto", label: "Auto" },
  { value: "minute", label: "Minute" },
  { value: "hour", label: "Hour" },
  { value: "day", label: "Day" },
];

// A custom range's two ends, in the viewer's zone.
const BOUNDS = [
  { name: "from", label: "From" },
  { name: "to", label: "To" },
] as const;

export function UsageFilters({
  action,
  values,
  errors,
  keys,
  timeZone,
}: {
  // The usage page the filters submit to.
  action: string;
  values: UsageFilterValues;
  errors: FieldErrors;
  keys: { id: string; name: string; prefix: string; revokedAt: Date | null }[];
  timeZone: string;
}) {
  const [range, setRange] = useState(values.range);
  return (
    <form
      method="get"
      action={action}
      aria-label="Usage filters"
      className="mb-6 flex flex-wrap items-start gap-4 rounded-xl border border-slate-200 bg-white p-4"
    >
      <SelectField
        label="Range"
        name="range"
        value={range}
        onChange={(e) => setRange(e.target.value)}
        error={errors.range}
        options={RANGES}
      />
      {range === "custom"
        ? BOUNDS.map(({ name, label }) => (
            <TextField
              key={name}
              label={label}
              name={name}
              type="datetime-local"
              defaultValue={values[name]}
              error={errors[name]}
              hint={`In ${timeZone}`}
            />
          ))
        : null}
      <SelectField
        label="Interval"
        name="interval"
        defaultValue={values.interval || "auto"}
        error={errors.interval}
        options={INTERVALS}
      />
      <SelectField
        label="Key"
        name="keyId"
        defaultValue={values.keyId}
        error={errors.keyId}
        options={[
          { value: "", label: "All keys" },
          ...keys.map((k) => ({ value: k.id, label: `${k.name} (${k.prefix}…)${k.revokedAt ? " — revoked" : ""}` })),
        ]}
      />
      <input type="hidden" name="tz" value={timeZone} />
      <div className="flex flex-col gap-1">
        <span className="text-sm font-medium text-transparent" aria-hidden>
          Apply
        </span>
        <Button type="submit">Apply</Button>
      </div>
    </form>
  );
}
