"use client";
// Admin control: issue a one-time password-reset link for an account (step-up when the admin has MFA); the link is
// shown once, with Copy, and works for one hour.
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { issueResetLinkAction } from "@/lib/actions/admin";

export function IssueResetLink({ userId, email }: { userId: string; email: string }) {
  const form = useStepUpFormAction(issueResetLinkAction);
  const [copied, setCopied] = useState(false);
  const issued = form.result?.ok ? form.result.data : null;

  return (
    <form {...form.formProps} className="flex flex-col gap-1">
      <input type="hidden" name="userId" value={userId} />
      <Button
        type="submit"
        look="secondary"
        className="self-start px-2 py-1"
        pending={form.pending}
        aria-label={`Issue a password-reset link for ${email}`}
      >
        {form.pending ? "Issuing…" : "Reset link"}
      </Button>
      {form.failure ? <Alert tone="error">{form.failure.message}</Alert> : null}
      {issued ? (
        <div role="status" className="flex max-w-md flex-col gap-1 text-xs">
          <span>Reset link for {email} (shown once, works for one hour):</span>
          <code className="break-all rounded bg-slate-100 px-2 py-1">{issued.url}</code>
          <Button
            look="secondary"
            className="self-start px-2 py-1"
            onClick={async () => {
              await navigator.clipboard.writeText(issued.url);
              setCopied(true);
            }}
          >
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
      ) : null}
    </form>
  );
}
