"use client";
// Modal asking for a current authenticator code before a sensitive action; reports whether the step-up passed.
import Link from "next/link";
import { stepUpAction } from "@/lib/actions/security";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TotpCodeForm } from "./totp-code-form";

export function StepUpDialog({ open, onDone }: { open: boolean; onDone: (passed: boolean) => void }) {
  return (
    <Dialog
      open={open}
      onClose={() => onDone(false)}
      title="Confirm it's you"
      description="This action needs a fresh code from your authenticator app. You won't be asked again for 10 minutes."
    >
      <TotpCodeForm
        id="step-up-code"
        submitLabel="Verify and continue"
        action={stepUpAction}
        onSuccess={() => onDone(true)}
        autoFocus
      >
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
    </Dialog>
  );
}
