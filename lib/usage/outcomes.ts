// The one vocabulary of usage outcomes: `valid`, or the REST error code of the rejection in lower case.
export const USAGE_OUTCOMES = [
  "valid",
  "invalid_key",
  "expired_key",
  "revoked_key",
  "insufficient_scope",
  "ip_not_allowed",
  "client_id_mismatch",
  "account_suspended",
  "rate_limited",
] as const;

export type UsageOutcome = (typeof USAGE_OUTCOMES)[number];

const verifyCodes: Record<string, UsageOutcome> = {
  VALID: "valid",
  NOT_FOUND: "invalid_key",
  INVALID: "invalid_key",
  EXPIRED: "expired_key",
  REVOKED: "revoked_key",
  INSUFFICIENT_SCOPE: "insufficient_scope",
  IP_NOT_ALLOWED: "ip_not_allowed",
  CLIENT_ID_MISMATCH: "client_id_mismatch",
  ACCOUNT_SUSPENDED: "account_suspended",
  SUSPENDED: "account_suspended",
  RATE_LIMITED: "rate_limited",
};

// Maps a verify code (VALID, REVOKED, …) or a REST error code (revoked_key, …) to the usage outcome.
export function usageOutcome(code: string): UsageOutcome {
  if ((USAGE_OUTCOMES as readonly string[]).includes(code)) return code as UsageOutcome;
  const mapped = verifyCodes[code.toUpperCase()];
  if (!mapped) throw new Error(`Unknown verification outcome code: ${code}`);
  return mapped;
}

// Human label of an outcome for legends, tables and CSV headers.
export function outcomeLabel(outcome: string): string {
  return outcome === "valid" ? "Valid" : outcome.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}
