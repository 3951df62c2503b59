// Labelled input with its field error announced to screen readers.
import type { InputHTMLAttributes } from "react";
import { controlClass, Field } from "./field";

export function TextField({
  label,
  name,
  error,
  hint,
  className = "",
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; error?: string; hint?: string }) {
  const id = props.id ?? `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  return (
    <Field id={id} label={label} error={error} hint={hint} className={className}>
      <input
        {...props}
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={controlClass(error)}
      />
    </Field>
  );
}
