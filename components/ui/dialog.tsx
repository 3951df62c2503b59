"use client";
// Modal dialog on the native <dialog> element: focus moves in and is trapped, Escape closes, the title labels it (and
// the description describes it, so both are announced), and closing gives focus back to the control that opened it.
import { useEffect, useId, useRef, useState, type ComponentProps, type ReactNode } from "react";
import { Button, type ButtonLook } from "./button";

export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: string;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  // The element focused when the dialog opened (a trigger button, or a submit button in another dialog).
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    }
    if (!open && dialog.open) {
      dialog.close();
      // Browsers differ in restoring focus on close; a control removed meanwhile (a dialog's form replaced) keeps none.
      if (opener.current?.isConnected) opener.current.focus();
      opener.current = null;
    }
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-description` : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      className="m-auto w-full max-w-lg rounded-xl border border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      {open ? (
        <div className="flex flex-col gap-4 p-6">
          <div>
            <h2 id={`${id}-title`} className="text-lg font-semibold">
              {title}
            </h2>
            {description ? (
              <p id={`${id}-description`} className="mt-1 text-sm text-slate-600">
                {description}
              </p>
            ) : null}
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}

// The open state of a dialog holding a form: `close` also forgets the form's last answer, so a reopened dialog starts
// clean.
export function useFormDialog(form: { reset: () => void }) {
  const [open, setOpen] = useState(false);
  return {
    open,
    show: () => setOpen(true),
    close: () => {
      setOpen(false);
      form.reset();
    },
  };
}

// A button that opens a dialog, and the dialog: `dialog` is their shared open state (useFormDialog); `trigger` is the
// button's text, `look` and `triggerProps` the rest of it.
export function DialogButton({
  dialog,
  trigger,
  look,
  triggerProps,
  title,
  description,
  children,
}: {
  dialog: { open: boolean; show: () => void; close: () => void };
  trigger: string;
  look?: ButtonLook;
  triggerProps?: Omit<ComponentProps<typeof Button>, "look" | "onClick" | "children">;
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <>
      <Button look={look} {...triggerProps} onClick={dialog.show}>
        {trigger}
      </Button>
      <Dialog open={dialog.open} onClose={dialog.close} title={title} description={description}>
        {children}
      </Dialog>
    </>
  );
}
