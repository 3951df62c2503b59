"use client";
// Range, interval and key filters for the usage page: a GET form (works without JavaScript); server-side errors appear next to their field.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/text-field";
import type { FieldErrors } from "@/lib/validations/field-errors";

export interface UsageFilterValues {
  range: string;
  from: string;
  to: string;
  interval: string;
  keyId: string;
}

const selectClass = "rounded-md border bg-white px-3 py-2 text-sm shadow-sm";

function Select({ label, name, value, onChange, error, children }: { label: string; name: string; value: string; onChange?: (v: string) => void; error?: string; children: React.ReactNode }) {
  const id = `field-${name}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        name={name}
        defaultValue={onChange ? undefined : value}
        value={onChange ? value : undefined}
        onChange={onChange ? (e) => onChange(e.target.value) : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-error`}
        className={`${selectClass} ${error ? "border-red-500" : "border-slate-300"}`}
      >
        {children}
      </select>
      <p id={`${id}-error`} aria-live="polite" className="min-h-4 text-xs text-red-600">
        {error ?? ""}
      </p>
    </div>
  );
}

export function UsageFilters({
  values,
  errors,
  keys,
  timeZone,
}: {
  values: UsageFilterValues;
  errors: FieldErrors;
  keys: { id: string; name: string; prefix: string; revokedAt: Date | null }[];
  timeZone: string;
}) {
  const [range, setRange] = useState(values.range);
  return (
    <form method="get" action="/dashboard/usage" aria-label="Usage filters" className="mb-6 flex flex-wrap items-start gap-4 rounded-xl border border-slate-200 bg-white p-4">
      <Select label="Range" name="range" value={range} onChange={setRange} error={errors.range}>
        <option value="24h">Last 24 hours</option>
        <option value="7d">Last 7 days</option>
        <option value="30d">Last 30 days</option>
        <option value="custom">Custom…</option>
      </Select>
      {range === "custom" ? (
        <>
          <TextField label="From" name="from" type="datetime-local" defaultValue={values.from} error={errors.from} hint={`In ${timeZone}`} />
          <TextField label="To" name="to" type="datetime-local" defaultValue={values.to} error={errors.to} hint={`In ${timeZone}`} />
        </>
      ) : null}
      <Select label="Interval" name="interval" value={values.interval || "auto"} error={errors.interval}>
        <option value="auto">Auto</option>
        <option value="minute">Minute</option>
        <option value="hour">Hour</option>
        <option value="day">Day</option>
      </Select>
      <Select label="Key" name="keyId" value={values.keyId} error={errors.keyId}>
        <option value="">All keys</option>
        {keys.map((k) => (
          <option key={k.id} value={k.id}>
            {k.name} ({k.prefix}…){k.revokedAt ? " — revoked" : ""}
          </option>
        ))}
      </Select>
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
