// The Security page's mail preferences: the notification mail kinds left on (a checkbox each; unchecked ones are off).
import { z } from "zod";
import { MAIL_KINDS } from "../events/mail-kinds";

const kind = z.enum(MAIL_KINDS, { error: `Unknown mail: use ${MAIL_KINDS.join(", ")}` });

export const mailPreferencesSchema = z.strictObject({
  mail: z
    .union([kind, z.array(kind).max(MAIL_KINDS.length)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});
