// POST /api/v1/verify for the platform's gateway: the service token check and the verification answer.
import { timingSafeEqual } from "node:crypto";
import { env } from "../env";
import { gatewayVerdict } from "../errors";
import type { Scope } from "../generated/prisma/enums";
import type { HeaderSource } from "../ip/client-ip";
import { verifyKey } from "../keys/verify";
import { recordVerification } from "./record-verification";
import { presentedKey } from "./authenticate";

// "disabled" while KEYHOLD_SERVICE_TOKEN is unset (the route answers 404), else whether the bearer token matches.
export function serviceTokenStatus(headers: HeaderSource): "disabled" | "missing" | "invalid" | "ok" {
  return serviceTokenCheck(presentedKey(headers));
}

// The same check for a token sent some other way (X-Keyhold-Service-Token, where Authorization is the customer's key).
export function serviceTokenCheck(sent: string | null): "disabled" | "missing" | "invalid" | "ok" {
  const expected = env().KEYHOLD_SERVICE_TOKEN;
  if (!expected) return "disabled";
  if (!sent) return "missing";
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? "ok" : "invalid";
}

// Verifies a key for the gateway, reports it like any other verification, and shapes the verify answer. `ip` is the
// gateway's client: without it a key with an IP allowlist is IP_NOT_ALLOWED; `ratelimit` is null unless the request was
// counted (it passed every other check).
// `cost` (default 1) is spent from a key with credits only when every other check passed.
export async function verifyForGateway(input: {
  key: string;
  scope?: Scope;
  permissions?: readonly string[];
  ip?: string;
  cost?: number;
}) {
  const started = performance.now();
  const ip = input.ip ?? null;
  const verification = await verifyKey({
    secret: input.key,
    scope: input.scope,
    permissions: input.permissions,
    ip,
    cost: input.cost,
  });
  recordVerification(verification, { route: "/api/v1/verify", method: "POST", ip }, 200, started);
  const key = verification.key;

  return {
    valid: verification.ok,
    code: verification.ok ? "VALID" : gatewayVerdict(verification.code),
    keyId: key?.id ?? null,
    ownerId: key?.createdById ?? null,
    organizationId: key?.organizationId ?? null,
    clientId: key?.organization.clientId ?? null,
    scopes: key?.scopes ?? [],
    permissions: key?.permissions ?? [],
    expiresAt: key?.expiresAt?.toISOString() ?? null,
    ratelimit: verification.ratelimit
      ? {
          limit: verification.ratelimit.limit,
          remaining: verification.ratelimit.remaining,
          reset: verification.ratelimit.reset,
        }
      : null,
    credits: verification.credits ? { remaining: verification.credits.remaining } : null,
  };
}
