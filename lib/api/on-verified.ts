// The one place every finished verification that identified a key passes through: lastUsedAt and the usage event.
// withApiKey calls it once per request (after the handler answered) and the gateway's verify once per call, so a
// request is counted exactly once. A verify call is recorded under its own route, POST /api/v1/verify, status 200
// (what the gateway received); the verdict is in the outcome.
import { markKeyUsed } from "../keys/last-used";
import type { KeyRecord } from "../keys/record";
import type { VerificationFailure } from "../errors";
import { recordUsage } from "../usage/recorder";

export type VerifiedRequest = { key: KeyRecord; route: string; method: string; ip: string | null };
// `cost`: the credits the verification spent (0 when refused, free, or the key is unlimited).
export type VerifiedOutcome = { status: number; code: "valid" | VerificationFailure; latencyMs: number; cost?: number };

// Records the outcome of a verification whose key was identified (good or bad).
export function onVerified(request: VerifiedRequest, outcome: VerifiedOutcome): void {
  if (outcome.code === "valid") markKeyUsed(request.key.id);
  recordUsage({
    keyId: request.key.id,
    organizationId: request.key.organizationId,
    route: request.route,
    method: request.method,
    status: outcome.status,
    outcome: outcome.code,
    ip: request.ip,
    latencyMs: outcome.latencyMs,
    cost: outcome.cost ?? 0,
  });
}
