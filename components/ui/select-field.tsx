// Labelled select with its field error announced to screen readers.
import type { SelectHTMLAttributes } from "react";
import { controlClass, Field } from "./field";

export function SelectField({
  label,
  name,
  error,
  hint,
  options,
  className = "",
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  options: { value: string; label: string }[];
}) {
  const id = props.id ?? `field-${name}`;
  return (
    <Field id={id} label={label} error={error} hint={hint} className={className}>
      <select
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ")}
        className={controlClass(error)}
        {...props}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
