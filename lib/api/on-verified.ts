// The one place every finished verification that identified a key passes through: lastUsedAt today, usage events next.
import { markKeyUsed } from "../keys/last-used";
import type { KeyRecord } from "../keys/record";
import type { KeyErrorCode } from "../keys/errors";

export type VerifiedRequest = { key: KeyRecord; route: string; method: string; ip: string | null };
export type VerifiedOutcome = { status: number; code: "valid" | KeyErrorCode; latencyMs: number };

// Records the outcome of a verification whose key was identified (good or bad).
export function onVerified(request: VerifiedRequest, outcome: VerifiedOutcome): void {
  if (outcome.code === "valid") markKeyUsed(request.key.id);
}
