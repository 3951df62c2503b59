// The one vocabulary of usage outcomes: `valid`, or the REST error code of the rejection (from the error table).
import { VERIFICATION_FAILURES } from "../errors";

export const USAGE_OUTCOMES = ["valid", ...VERIFICATION_FAILURES] as const;

export type UsageOutcome = (typeof USAGE_OUTCOMES)[number];

// Maps a verify verdict (VALID, REVOKED, …) or a REST error code (revoked_key, …) to the usage outcome.
export function usageOutcome(code: string): UsageOutcome {
  if ((USAGE_OUTCOMES as readonly string[]).includes(code)) return code as UsageOutcome;
  const upper = code.toUpperCase();
  if (upper === "NOT_FOUND" || upper === "INVALID") return "invalid_key";
  if (upper === "EXPIRED" || upper === "REVOKED") return `${code.toLowerCase()}_key` as UsageOutcome;
  if (upper === "SUSPENDED") return "account_suspended";
  const lower = code.toLowerCase();
  if ((USAGE_OUTCOMES as readonly string[]).includes(lower)) return lower as UsageOutcome;
  throw new Error(`Unknown verification outcome code: ${code}`);
}

// Human label of an outcome for legends, tables and CSV headers.
export function outcomeLabel(outcome: string): string {
  return outcome === "valid" ? "Valid" : outcome.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}
