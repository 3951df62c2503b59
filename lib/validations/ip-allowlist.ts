// The IP allowlist input schema, shared by the key forms and the REST API: entries are checked, normalised and de-duplicated.
import { z } from "zod";
import { MAX_ALLOWLIST_ENTRIES, parseAllowlistEntry, type AllowlistEntry } from "../ip/allowlist";
import { safeText } from "./text";

const entryInput = z.object({
  value: z
    .string({ error: "Enter an IP address or CIDR range" })
    .max(100, "Entry is too long")
    .check(safeText("Entry")),
  note: z.string().trim().max(200, "Note must be at most 200 characters").check(safeText("Note")).optional(),
});

export const ipAllowlistSchema = z
  .array(entryInput, { error: "ipAllowlist must be a list of entries" })
  .max(MAX_ALLOWLIST_ENTRIES, `At most ${MAX_ALLOWLIST_ENTRIES} entries per key`)
  .transform((entries, ctx): AllowlistEntry[] => {
    const seen = new Map<string, number>();
    const out: AllowlistEntry[] = [];
    entries.forEach((entry, index) => {
      const parsed = parseAllowlistEntry(entry.value);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", path: [index, "value"], message: parsed.error });
        return;
      }
      const first = seen.get(parsed.value);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [index, "value"],
          message: `${parsed.value} is already in the list (entry ${first + 1})`,
        });
        return;
      }
      seen.set(parsed.value, index);
      out.push(entry.note ? { value: parsed.value, note: entry.note } : { value: parsed.value });
    });
    return out;
  });
