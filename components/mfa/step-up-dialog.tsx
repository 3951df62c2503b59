"use client";
// Modal asking for a current authenticator code before a sensitive action; reports whether the step-up passed.
import Link from "next/link";
import { useEffect, useRef } from "react";
import { stepUpAction } from "@/app/(dashboard)/dashboard/settings/security/actions";
import { Button } from "@/components/ui/button";
import { TotpCodeForm } from "./totp-code-form";

export function StepUpDialog({ open, onDone }: { open: boolean; onDone: (passed: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby="step-up-title"
      aria-describedby="step-up-description"
      onCancel={(event) => {
        event.preventDefault();
        onDone(false);
      }}
      className="m-auto w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-xl backdrop:bg-slate-900/40"
    >
      {open ? (
        <div className="flex flex-col gap-3">
          <h2 id="step-up-title" className="text-lg font-semibold">
            Confirm it&apos;s you
          </h2>
          <p id="step-up-description" className="text-sm text-slate-600">
            This action needs a fresh code from your authenticator app. You won&apos;t be asked again for 10 minutes.
          </p>
          <TotpCodeForm id="step-up-code" submitLabel="Verify and continue" action={stepUpAction} onSuccess={() => onDone(true)} autoFocus>
            <Button look="secondary" onClick={() => onDone(false)}>
              Cancel
            </Button>
          </TotpCodeForm>
          <p className="text-xs text-slate-500">
            Lost your authenticator? Sign in again with a recovery code, or manage it in{" "}
            <Link href="/dashboard/settings/security" className="underline">
              Security settings
            </Link>
            .
          </p>
        </div>
      ) : null}
    </dialog>
  );
}
