"use client";
// The one showing of a secret: read-only field, copy button, a warning that it will not be shown again, and Done.
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function SecretReveal({
  secret,
  onDone,
  label = "Your new API key",
  warning = "Copy this key now and store it somewhere safe. It will not be shown again.",
}: {
  secret: string;
  onDone: () => void;
  label?: string;
  warning?: string;
}) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <div className="flex flex-col gap-3">
      <Alert tone="warning" role="status">
        {warning}
      </Alert>
      <div className="flex flex-col gap-1">
        <label htmlFor="new-secret" className="text-sm font-medium text-slate-800">
          {label}
        </label>
        <div className="flex gap-2">
          <input
            id="new-secret"
            readOnly
            value={secret}
            onFocus={(e) => e.currentTarget.select()}
            className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs"
          />
          <Button look="secondary" onClick={copy}>
            Copy
          </Button>
        </div>
        <p aria-live="polite" className="min-h-4 text-xs text-slate-600">
          {copied === "yes"
            ? "Copied to the clipboard."
            : copied === "failed"
              ? "Copy failed: select it and copy it by hand."
              : ""}
        </p>
      </div>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
