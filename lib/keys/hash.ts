// Keys at rest: SHA-256 hex of the whole secret (a 190-bit random secret needs no slow hash or salt).
import { createHash } from "node:crypto";

// The stored lookup hash of a secret.
export function hashKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
