// Text PostgreSQL can store: no NUL (text columns refuse it) and no unpaired UTF-16 surrogate (it has no UTF-8 encoding,
// so the driver would silently store U+FFFD instead). One refinement for every free-text string schema, and a stricter
// one for names, which are shown on one line in lists, page titles, mail subjects and CSV exports.
import { z } from "zod";

// Whether a string is well-formed Unicode without NUL.
export function isSafeText(value: string): boolean {
  return !value.includes("\u0000") && value.isWellFormed();
}

// A refinement for z.string(): refuses NUL and unpaired surrogates with a message naming the field (`label`).
export function safeText(label: string) {
  return z.refine<string>(
    isSafeText,
    `${label} contains a character that cannot be stored (NUL or an unpaired surrogate)`,
  );
}

// Control characters (C0 with NUL, tab and line breaks; DEL; C1), the Unicode line and paragraph separators, and the
// bidirectional embedding, override and isolate characters (which can make a name read backwards in a list or mail).
const CONTROL_OR_BIDI = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

// Whether a name is safe text on one line: no control, line-break or bidi-override character.
export function isSingleLineText(value: string): boolean {
  return isSafeText(value) && !CONTROL_OR_BIDI.test(value);
}

// A refinement for names in place of safeText: refuses NUL and unpaired surrogates, and also line breaks, tabs, other
// control characters and bidi overrides, with a message naming the field (`label`).
export function singleLineText(label: string) {
  return z.refine<string>(
    isSingleLineText,
    `${label} cannot contain line breaks, tabs, other control characters, text-direction overrides or unpaired surrogates`,
  );
}

// The same text with control, line-break and bidi-override characters removed (names from older rows, in mail).
export function stripControlCharacters(value: string): string {
  return value.replace(new RegExp(CONTROL_OR_BIDI.source, "g"), "");
}

// A required, trimmed string of at most `max` characters ("<label> is required", "<label> must be at most <max>
// characters"), refined by `check` (safeText, or singleLineText for names).
export function requiredText(
  label: string,
  max: number,
  check: (label: string) => z.core.$ZodCheck<string> = safeText,
) {
  return z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`)
    .check(check(label));
}

// A required string taken as sent (an id, a password) of at most `max` characters; `tooLong`: the message past that.
export function requiredRawText(label: string, max: number, tooLong: string) {
  return z
    .string({ error: `${label} is required` })
    .min(1, `${label} is required`)
    .max(max, tooLong)
    .check(safeText(label));
}

// An id picked in a form (a member, an endpoint): every failure reads "Choose <label>".
export function chosenIdSchema(label: string) {
  return z
    .string({ error: `Choose ${label}` })
    .min(1, `Choose ${label}`)
    .max(64, `Choose ${label}`)
    .check(safeText(label));
}
