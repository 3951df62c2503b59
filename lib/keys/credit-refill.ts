// The credit arithmetic both counters share (the atomic statement in credits.ts and the embedded database's ledger in
// credit-ledger.ts): a key's credit columns, the outcome of a spend, and when a refill is due.
import type { CreditInterval } from "../generated/prisma/enums";

export type CreditsState = {
  creditsRemaining: number | null;
  creditsRefillAmount: number | null;
  creditsRefillInterval: CreditInterval | null;
  creditsRefilledAt: Date | null;
};

// The outcome of a spend: `spent` the credits taken (0 when refused), `remaining` what is left (what was available when
// refused); remaining null: the key turned out unlimited (any cost passes, nothing is counted).
export type SpendResult = { ok: true; spent: number; remaining: number | null } | { ok: false; remaining: number };

// Start of the UTC day or month holding `now`.
export function periodStart(interval: CreditInterval, now: number): Date {
  const d = new Date(now);
  return interval === "day"
    ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
    : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

// The credits a key holds at `now`, its due refill applied (for display; spending goes through spendCredits).
export function effectiveRemaining(key: CreditsState, now = Date.now()): number | null {
  if (key.creditsRemaining === null) return null;
  if (key.creditsRefillAmount === null || key.creditsRefillInterval === null) return key.creditsRemaining;
  const start = periodStart(key.creditsRefillInterval, now);
  return !key.creditsRefilledAt || key.creditsRefilledAt < start ? key.creditsRefillAmount : key.creditsRemaining;
}
