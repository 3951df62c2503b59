// MFA input schemas (authentication codes, recovery codes, disable form), shared by the forms and the server.
import { z } from "zod";
import { safeText } from "./text";

export const TOTP_CODE_MESSAGE = "Enter the 6-digit code from your authenticator app";
export const RECOVERY_CODE_MESSAGE = "Enter a recovery code: 10 letters and digits, like abcde-12345";

// Six digits; spaces (as apps display "123 456") are ignored.
export const totpCodeSchema = z
  .string({ error: TOTP_CODE_MESSAGE })
  .transform((v) => v.replace(/\s+/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, TOTP_CODE_MESSAGE));

// Ten letters and digits, any case, with or without the dash; normalised to "xxxxx-xxxxx".
export const recoveryCodeSchema = z
  .string({ error: RECOVERY_CODE_MESSAGE })
  .transform((v) =>
    v
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, ""),
  )
  .pipe(z.string().regex(/^[0-9a-z]{10}$/, RECOVERY_CODE_MESSAGE))
  .transform((v) => `${v.slice(0, 5)}-${v.slice(5)}`);

// A code from the authenticator app or, where allowed, a recovery code.
export const mfaCodeSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("totp"), code: totpCodeSchema }),
  z.object({ method: z.literal("recovery"), code: recoveryCodeSchema }),
]);

export type MfaCodeInput = z.input<typeof mfaCodeSchema>;

// Turning MFA off: the password and a code (either kind).
export const disableMfaSchema = z.intersection(
  z.object({
    password: z
      .string({ error: "Enter your password" })
      .min(1, "Enter your password")
      .max(256, "Password must be at most 256 characters")
      .check(safeText("Password")),
  }),
  mfaCodeSchema,
);

export type DisableMfaInput = z.input<typeof disableMfaSchema>;

// What the MFA forms post: the service checks the code itself (a locked factor refuses even malformed input).
export const mfaCodeFormSchema = z.object({
  method: z.enum(["totp", "recovery"], { error: "Choose an authenticator code or a recovery code" }).default("totp"),
  code: z.string({ error: TOTP_CODE_MESSAGE }).max(64, TOTP_CODE_MESSAGE).check(safeText("Code")),
});

// The totp-only forms (enrolment confirmation, regeneration, step-up).
export const totpCodeFormSchema = z.object({
  code: z.string({ error: TOTP_CODE_MESSAGE }).max(64, TOTP_CODE_MESSAGE).check(safeText("Code")),
});

// The disable form: password and a code of either kind, checked by the service.
export const disableMfaFormSchema = mfaCodeFormSchema.extend({
  password: z
    .string({ error: "Enter your password" })
    .max(256, "Password must be at most 256 characters")
    .check(safeText("Password")),
});

export const emptyInputSchema = z.object({});
