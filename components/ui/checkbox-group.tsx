// A group of checkboxes posted under one name: its legend, one labelled box per option, and (when the form validates
// the group) its field error, announced and tied to the group.
import type { ReactNode } from "react";

export type CheckboxOption<V extends string> = { value: V; label: ReactNode };

export function CheckboxGroup<V extends string>({
  legend,
  legendHidden,
  name,
  options,
  isChecked,
  onToggle,
  error,
  validated = true,
  columns,
  children,
}: {
  legend: string;
  // A legend only screen readers need (the page already says what the boxes are).
  legendHidden?: boolean;
  name: string;
  options: readonly CheckboxOption<V>[];
  // Whether an option starts checked.
  isChecked: (value: V) => boolean;
  onToggle?: (value: V, checked: boolean) => void;
  error?: string;
  // Shows the field error line (`field-<name>-error`); a group the form does not validate has none.
  validated?: boolean;
  // Two columns on wider screens, for long lists.
  columns?: boolean;
  // Shown below the boxes (e.g. what a choice needs first).
  children?: ReactNode;
}) {
  const errorId = `field-${name}-error`;
  const boxes = options.map(({ value, label }) => (
    <label key={value} className="flex items-start gap-2 text-sm">
      <input
        type="checkbox"
        name={name}
        value={value}
        defaultChecked={isChecked(value)}
        onChange={onToggle ? (e) => onToggle(value, e.target.checked) : undefined}
        className="mt-0.5"
      />
      <span>{label}</span>
    </label>
  ));
  return (
    <fieldset aria-describedby={validated ? errorId : undefined} className="flex flex-col gap-1">
      <legend className={legendHidden ? "sr-only" : "mb-1 text-sm font-medium text-slate-800"}>{legend}</legend>
      {columns ? <div className="grid gap-1 sm:grid-cols-2">{boxes}</div> : boxes}
      {children}
      {validated ? (
        <p id={errorId} aria-live="polite" className="min-h-4 text-xs text-red-600">
          {error ?? ""}
        </p>
      ) : null}
    </fieldset>
  );
}
