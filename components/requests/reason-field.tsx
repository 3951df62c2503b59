// A key request's reason (the requester's, or an administrator's for denying it): required, at most 500 characters.
import { TextField } from "@/components/ui/text-field";

export function ReasonField({ hint, error, autoFocus }: { hint: string; error?: string; autoFocus?: boolean }) {
  return (
    <TextField label="Reason" name="reason" required maxLength={500} hint={hint} error={error} autoFocus={autoFocus} />
  );
}
