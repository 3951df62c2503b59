// The account's current password: signing in, and confirming a change to the account's security.
import { TextField } from "@/components/ui/text-field";

export function CurrentPasswordField({
  id,
  label = "Password",
  name = "password",
  required,
  error,
}: {
  // Unique when another form on the page has a password field (TextField derives one from the name otherwise).
  id?: string;
  label?: string;
  name?: string;
  required?: boolean;
  error?: string;
}) {
  return (
    <TextField
      {...(id ? { id } : {})}
      label={label}
      name={name}
      type="password"
      autoComplete="current-password"
      required={required}
      error={error}
    />
  );
}
