// The frame every form field shares: label, the control, an optional hint and the field error announced to screen readers.
import type { ReactNode } from "react";

// Classes of a text-like control, red-bordered while it has an error.
export function controlClass(error: string | undefined): string {
  return `max-w-full rounded-md border bg-white px-3 py-2 text-sm shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-brand-500 ${error ? "border-red-500" : "border-slate-300"}`;
}

// Wraps a control whose id is `id` and whose aria-describedby names `${id}-hint` (when a hint is given) and `${id}-error`.
export function Field({
  id,
  label,
  error,
  hint,
  className = "",
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`flex min-w-0 max-w-full flex-col gap-1 ${className}`}>
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <p id={`${id}-error`} aria-live="polite" className="min-h-4 text-xs text-red-600">
        {error ?? ""}
      </p>
    </div>
  );
}
