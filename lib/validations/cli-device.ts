// Inputs of the CLI's browser sign-in (device authorization): the two REST bodies and the /cli/authorize forms.
import { z } from "zod";
import { keyEnvironmentSchema, keyScopesSchema } from "./keys";
import { singleLineText, safeText } from "./text";

// The user code's alphabet: 20 consonants, no vowels (no words) and nothing that reads as another character.
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;

// A user code as typed: letters of the alphabet in any case, with or without the dash or spaces, normalised to
// "ABCD-EFGH". Anything else is refused naming the field.
export function normaliseUserCode(raw: string): string | null {
  const letters = raw.toUpperCase().replace(/[\s-]/g, "");
  if (letters.length !== USER_CODE_LENGTH) return null;
  for (const ch of letters) if (!USER_CODE_ALPHABET.includes(ch)) return null;
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

export const userCodeSchema = z
  .string({ error: "Code is required" })
  .max(32, "Code must be at most 32 characters")
  .check(safeText("Code"))
  .transform((raw, ctx) => {
    const code = normaliseUserCode(raw);
    if (!code) {
      ctx.addIssue({ code: "custom", message: "Enter the 8-letter code the CLI printed, like BCDF-GHJK" });
      return z.NEVER;
    }
    return code;
  });

// POST /api/v1/cli/device — the machine's name is shown to the approving user and names the key.
export const deviceStartSchema = z
  .strictObject({
    client_name: z
      .string({ error: "client_name must be a string" })
      .trim()
      .min(1, "client_name must not be empty")
      .max(48, "client_name must be at most 48 characters")
      .check(singleLineText("client_name"))
      .optional()
      .meta({ description: "The machine's name (its hostname), shown on the approval page and naming the key" }),
  })
  .meta({ id: "CliDeviceRequest" });

// POST /api/v1/cli/token — the device code the CLI received.
export const deviceTokenSchema = z
  .strictObject({
    device_code: z
      .string({ error: "device_code is required and must be a string" })
      .min(1, "device_code is required")
      .max(128, "device_code must be at most 128 characters")
      .check(safeText("device_code")),
  })
  .meta({ id: "CliTokenRequest" });

// The approval page's form: which organization, environment and scopes the CLI's key gets.
export const approveDeviceSchema = z.strictObject({
  code: userCodeSchema,
  environment: keyEnvironmentSchema,
  scopes: keyScopesSchema,
});

export const denyDeviceSchema = z.strictObject({ code: userCodeSchema });

export type DeviceStartData = z.infer<typeof deviceStartSchema>;
export type ApproveDeviceData = z.infer<typeof approveDeviceSchema>;
