// Recovery codes: 10 one-time codes like "k3m9x-7qp2d" (50 random bits each), stored as SHA-256 hashes.
import { createHash, randomBytes } from "node:crypto";

const RECOVERY_CODE_COUNT = 10;
// Crockford's base32 alphabet in lower case: no i, l, o or u to misread.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

// One random recovery code.
function randomRecoveryCode(): string {
  const chars = Array.from(randomBytes(10), (b) => ALPHABET[b & 31]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

// A fresh set of distinct recovery codes.
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) codes.add(randomRecoveryCode());
  return [...codes];
}

// The stored hash of a normalised recovery code, bound to its account so hashes cannot be matched across accounts.
export function hashRecoveryCode(userId: string, code: string): string {
  return createHash("sha256").update(`${userId}:${code}`).digest("hex");
}
