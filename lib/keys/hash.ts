// Keys at rest: SHA-256 hex of the whole secret (a 190-bit random secret needs no slow hash or salt).
import { hash } from "node:crypto";

// The stored lookup hash of a secret (crypto.hash: one call, no Hash object per verification).
export function hashKey(secret: string): string {
  return hash("sha256", secret, "hex");
}
