// A key's status as the dashboard shows it.
import type { KeyObject } from "./record";

export type KeyStatus = "active" | "expiring" | "expired" | "revoked";

const EXPIRING_WITHIN_MS = 7 * 24 * 60 * 60 * 1000;

// revoked > expired > expiring (within 7 days) > active, as of `now` (the time of rendering by default).
export function keyStatus(key: Pick<KeyObject, "revokedAt" | "expiresAt">, now = Date.now()): KeyStatus {
  if (key.revokedAt) return "revoked";
  if (!key.expiresAt) return "active";
  const left = Date.parse(key.expiresAt) - now;
  if (left <= 0) return "expired";
  return left <= EXPIRING_WITHIN_MS ? "expiring" : "active";
}
