"use client";
// Code input for MFA: the authenticator app's 6-digit code, or (where allowed) a recovery code, with a switch between them.
import { TextField } from "@/components/ui/text-field";

export type MfaMethod = "totp" | "recovery";

export function MfaCodeField({
  id,
  method,
  error,
  onMethodChange,
  autoFocus,
}: {
  id: string;
  method: MfaMethod;
  error?: string;
  // Offers the switch to recovery codes when given.
  onMethodChange?: (method: MfaMethod) => void;
  autoFocus?: boolean;
}) {
  return (
    <div className="flex flex-col">
      {method === "totp" ? (
        <TextField
          key="totp"
          id={id}
          label="Authentication code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          hint="The 6-digit code from your authenticator app."
          autoFocus={autoFocus}
          error={error}
        />
      ) : (
        <TextField
          key="recovery"
          id={id}
          label="Recovery code"
          name="code"
          autoComplete="off"
          spellCheck={false}
          hint="One of the recovery codes you saved, like abcde-12345. Each works once."
          autoFocus={autoFocus}
          error={error}
        />
      )}
      {onMethodChange ? (
        <button
          type="button"
          className="self-start text-sm font-medium text-brand-600 underline"
          onClick={() => onMethodChange(method === "totp" ? "recovery" : "totp")}
        >
          {method === "totp" ? "Use a recovery code instead" : "Use your authenticator app instead"}
        </button>
      ) : null}
    </div>
  );
}
