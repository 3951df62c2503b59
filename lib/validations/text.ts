// Text PostgreSQL can store: no NUL (text columns refuse it) and no unpaired UTF-16 surrogate (it has no UTF-8 encoding,
// so the driver would silently store U+FFFD instead). One refinement for every free-text string schema.
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
