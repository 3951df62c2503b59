// The one place every finished verification passes through: lastUsedAt and the usage event of a verification that
// identified a key (good or bad). The key-authenticated routes (authenticateRequest), the gateway's verify and
// forward-auth each call it once per verification, so a request is counted exactly once. A verify call is recorded under
// its own route, POST /api/v1/verify, status 200 (what the gateway received); the verdict is in the outcome.
import { markKeyUsed } from "../keys/last-used";
import type { Verification } from "../keys/verify";
import type { UsageOutcome } from "../usage/outcomes";
import { recordUsage } from "../usage/recorder";

// Where the verification was asked: the route (a path, or a route table pattern), the method and the client's address.
export type VerifiedRequest = { route: string; method: string; ip: string | null };

// Records a finished verification answered with `status`, begun at `startedAt` (performance.now()); nothing when it
// identified no key.
export function recordVerification(
  verification: Verification,
  request: VerifiedRequest,
  status: number,
  startedAt: number,
): void {
  if (verification.key === null) return;
  const key = verification.key;
  const outcome: UsageOutcome = verification.ok ? "valid" : verification.code;
  if (verification.ok) markKeyUsed(key.id);
  recordUsage({
    keyId: key.id,
    organizationId: key.organizationId,
    route: request.route,
    method: request.method,
    status,
    outcome,
    ip: request.ip,
    latencyMs: performance.now() - startedAt,
    cost: verification.credits?.spent ?? 0,
  });
}
