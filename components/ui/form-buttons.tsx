// The submit row of a form: a submit button that says when it is working, and (in dialogs) a Cancel beside it.
import { Button, type ButtonLook } from "./button";

export function FormButtons({
  label,
  pendingLabel,
  pending,
  disabled,
  look,
  onCancel,
}: {
  label: string;
  pendingLabel: string;
  pending: boolean;
  disabled?: boolean;
  look?: ButtonLook;
  // Shows a Cancel button first and right-aligns the row, as dialogs do; a dangerous action's dialog focuses Cancel.
  onCancel?: () => void;
}) {
  return (
    <div className={onCancel ? "mt-2 flex justify-end gap-2" : ""}>
      {onCancel ? (
        <Button look="secondary" onClick={onCancel} autoFocus={look === "danger"}>
          Cancel
        </Button>
      ) : null}
      <Button type="submit" look={look} disabled={disabled} pending={pending}>
        {pending ? pendingLabel : label}
      </Button>
    </div>
  );
}
