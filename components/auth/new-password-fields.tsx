// A new password typed twice, with the shared rules as a hint: sign-up, password change and reset use it.
import { TextField } from "@/components/ui/text-field";
import type { FieldErrors } from "@/lib/validations/field-errors";

export function NewPasswordFields({
  errors,
  labels = ["New password", "Confirm new password"],
  idPrefix,
}: {
  errors: FieldErrors;
  labels?: [string, string];
  // Ids stay unique when another form on the page has password fields too (TextField derives one from the name
  // otherwise; an explicit undefined id would override it).
  idPrefix?: string;
}) {
  return (
    <>
      <TextField
        {...(idPrefix ? { id: `${idPrefix}-password` } : {})}
        label={labels[0]}
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 12 characters."
        error={errors.password}
      />
      <TextField
        {...(idPrefix ? { id: `${idPrefix}-confirm-password` } : {})}
        label={labels[1]}
        name="confirmPassword"
        type="password"
        autoComplete="new-password"
        required
        error={errors.confirmPassword}
      />
    </>
  );
}
