"use client";
// Shows freshly issued recovery codes once, with copy and .txt download, until the user says they are saved.
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function RecoveryCodesPanel({ codes, email, onDone }: { codes: string[]; email: string; onDone: () => void }) {
  const [copyStatus, setCopyStatus] = useState("");
  const text = `Keyhold recovery codes for ${email}\nIssued ${new Date().toISOString().slice(0, 10)}. Each code works once.\n\n${codes.join("\n")}\n`;

  async function copy() {
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      setCopyStatus("Copied to the clipboard.");
    } catch {
      setCopyStatus("Copying is blocked in this browser: select the codes and copy them instead.");
    }
  }

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = "keyhold-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <section
      aria-labelledby="recovery-codes-heading"
      className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="recovery-codes-heading" className="text-lg font-semibold">
        Save your recovery codes
      </h2>
      <Alert tone="warning">
        These codes are shown only now. Keep them somewhere safe: each one signs you in once if you lose your
        authenticator app.
      </Alert>
      <ol
        aria-label="Recovery codes"
        className="grid grid-cols-2 gap-2 rounded-md bg-slate-50 p-4 font-mono text-sm sm:max-w-md"
      >
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        <Button look="secondary" onClick={copy}>
          Copy
        </Button>
        <Button look="secondary" onClick={download}>
          Download .txt
        </Button>
        <Button onClick={onDone}>I have saved these codes</Button>
      </div>
      <p aria-live="polite" className="min-h-5 text-sm text-slate-600">
        {copyStatus}
      </p>
    </section>
  );
}
