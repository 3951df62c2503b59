"use client";
// A button that posts an input-free server action as its own one-button form (works before JavaScript loads), with the
// action's failure shown beside it.
import { Alert } from "./alert";
import { Button, type ButtonLook } from "./button";
import { useFormAction } from "./use-form-action";
import type { Action } from "@/lib/actions/define-action";

export function ActionButton<T>({
  action,
  children,
  pendingLabel,
  look,
  className = "",
  onSuccess,
}: {
  action: Action<Record<string, never>, T>;
  children: React.ReactNode;
  pendingLabel?: string;
  look?: ButtonLook;
  className?: string;
  onSuccess?: (data: T) => void;
}) {
  const form = useFormAction(action, { onSuccess });
  return (
    <form {...form.formProps} className={`flex flex-col gap-2 ${className}`}>
      {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
      <Button type="submit" look={look} pending={form.pending} className="self-start">
        {form.pending && pendingLabel ? pendingLabel : children}
      </Button>
    </form>
  );
}
