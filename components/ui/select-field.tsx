// Labelled select with its field error announced to screen readers.
import type { SelectHTMLAttributes } from "react";

export function SelectField({
  label,
  name,
  error,
  options,
  className = "",
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; name: string; error?: string; options: { value: string; label: string }[] }) {
  const id = props.id ?? `field-${name}`;
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-error`}
        className={`rounded-md border bg-white px-3 py-2 text-sm shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-brand-500 ${error ? "border-red-500" : "border-slate-300"}`}
        {...props}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <p id={`${id}-error`} aria-live="polite" className="min-h-4 text-xs text-red-600">
        {error ?? ""}
      </p>
    </div>
  );
}
