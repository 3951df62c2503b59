// Prepaid credits (Unkey's "remaining"): a key with creditsRemaining null is unlimited; otherwise a verification that
// passed every other check spends its cost in ONE atomic statement, which also applies a due refill. No read-then-write:
// PostgreSQL re-evaluates the statement's conditions on the row's latest version under its row lock, so concurrent spends
// through any number of processes and instances never take the count below zero and admit exactly what it held.
//
// A refill SETS the remaining credits to the refill amount (as Unkey does; unspent credits do not accumulate) at the
// interval's UTC boundary (00:00 UTC each day, or the 1st of the month). It is applied lazily, by the first spend of a
// period: creditsRefilledAt records the start of the period last refilled for, so two instances refilling the same period
// refill it once (the second sees the period already recorded and only spends).
import { ApiError } from "../api/errors";
import { recordAudit } from "../audit";
import { db } from "../db";
import { Prisma } from "../generated/prisma/client";
import type { CreditInterval } from "../generated/prisma/enums";
import { MAX_CREDITS } from "../validations/keys";

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

// A timestamp(3) parameter: the columns hold UTC wall-clock times without a zone, so the value is sent as such text.
const utcTimestamp = (d: Date) => d.toISOString().slice(0, 23).replace("T", " ");

// The SQL pieces every credit statement shares, on the row being written: the start of the period the key's refill rule
// is in at `now`, whether its refill is due, and the credits available (the refill applied).
function creditSql(now: number) {
  const day = utcTimestamp(periodStart("day", now));
  const month = utcTimestamp(periodStart("month", now));
  const period = Prisma.sql`CASE "creditsRefillInterval" WHEN 'day' THEN ${day}::timestamp(3) ELSE ${month}::timestamp(3) END`;
  const due = Prisma.sql`("creditsRefillAmount" IS NOT NULL AND "creditsRefillInterval" IS NOT NULL
    AND ("creditsRefilledAt" IS NULL OR "creditsRefilledAt" < ${period}))`;
  const available = Prisma.sql`CASE WHEN ${due} THEN "creditsRefillAmount" ELSE "creditsRemaining" END`;
  const refilledAt = Prisma.sql`CASE WHEN ${due} THEN ${period} ELSE "creditsRefilledAt" END`;
  return { available, refilledAt };
}

type SpendRow = { spent: number | null; unlimited: boolean; available: number | null };

// Spends `cost` credits of key `keyId` at `now` (an injectable clock), refilling first when a refill is due. Cost 0
// spends nothing and always passes (a read that reports the count, its due refill counted). A key that has become
// unlimited since it was cached passes with remaining null.
export async function spendCredits(keyId: string, cost: number, now = Date.now()): Promise<SpendResult> {
  const { available, refilledAt } = creditSql(now);
  if (cost === 0) {
    // Nothing to spend: a read, no write and no row lock (a due refill is written by the next spend).
    const rows = await db.$queryRaw<{ available: number | null }[]>`
      SELECT ${available} AS available FROM "ApiKey" WHERE "id" = ${keyId}`;
    if (!rows[0]) return { ok: false, remaining: 0 };
    const left = rows[0].available;
    return { ok: true, spent: 0, remaining: left === null ? null : Number(left) };
  }
  // The UPDATE's SET and WHERE are evaluated on the locked row (re-checked on its latest version when another statement
  // changed it first); the outer SELECT reads the row as it was before, only to report what a refused spend found.
  const rows = await db.$queryRaw<SpendRow[]>`
    WITH spent AS (
      UPDATE "ApiKey" SET "creditsRemaining" = ${available} - ${cost}::int, "creditsRefilledAt" = ${refilledAt}
      WHERE "id" = ${keyId} AND "creditsRemaining" IS NOT NULL AND ${available} >= ${cost}::int
      RETURNING "creditsRemaining"
    )
    SELECT (SELECT "creditsRemaining" FROM spent) AS spent, "creditsRemaining" IS NULL AS unlimited, ${available} AS available
    FROM "ApiKey" WHERE "id" = ${keyId}`;
  const row = rows[0];
  // The key is gone (its organization deleted since it was cached): nothing to spend from.
  if (!row) return { ok: false, remaining: 0 };
  if (row.spent !== null) return { ok: true, spent: cost, remaining: Number(row.spent) };
  if (row.unlimited) return { ok: true, spent: 0, remaining: null };
  const seen = Number(row.available ?? 0);
  if (seen < cost) return { ok: false, remaining: Math.max(0, seen) };
  // Refused although the statement's snapshot held enough: concurrent spends took the credits after it was taken. What
  // remains is read again (a rare path: only the losers of a race), so the answer never says "enough left, refused".
  const fresh = await db.$queryRaw<{ available: number | null }[]>`
    SELECT ${available} AS available FROM "ApiKey" WHERE "id" = ${keyId}`;
  return { ok: false, remaining: Math.max(0, Number(fresh[0]?.available ?? 0)) };
}

// The credit columns for a key's `credits` setting at `now` (create, PATCH): null makes the key unlimited; a refill rule
// counts the given remaining as this period's, so the first refill comes at the next boundary.
export function creditColumns(
  credits: { remaining: number; refill: { amount: number; interval: CreditInterval } | null } | null,
  now = Date.now(),
): CreditsState {
  if (!credits)
    return { creditsRemaining: null, creditsRefillAmount: null, creditsRefillInterval: null, creditsRefilledAt: null };
  return {
    creditsRemaining: credits.remaining,
    creditsRefillAmount: credits.refill?.amount ?? null,
    creditsRefillInterval: credits.refill?.interval ?? null,
    creditsRefilledAt: credits.refill ? periodStart(credits.refill.interval, now) : null,
  };
}

// The key object's `credits`: null (unlimited) or what remains now and the refill rule.
export function toCreditsObject(key: CreditsState, now = Date.now()) {
  const remaining = effectiveRemaining(key, now);
  if (remaining === null) return null;
  return {
    remaining,
    refill:
      key.creditsRefillAmount !== null && key.creditsRefillInterval !== null
        ? { amount: key.creditsRefillAmount, interval: key.creditsRefillInterval }
        : null,
  };
}

// Adds credits to a key that has them (an administrator's top-up): one atomic increment (capped at MAX_CREDITS),
// audited `key.credits_added`.
// A due refill is applied first, so the top-up adds to this period's credits. The role is checked by the caller
// (admins and owners of the organization); an unlimited or revoked key is refused naming `amount`/`id`.
export async function addKeyCredits(
  actor: { organizationId: string; userId: string | null },
  id: string,
  amount: number,
  meta: { ip: string | null },
  now = Date.now(),
): Promise<number> {
  const { available, refilledAt } = creditSql(now);
  return db.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({
      where: { id, organizationId: actor.organizationId },
      select: { id: true, revokedAt: true },
    });
    if (!key) throw new ApiError("not_found", "No key with this id");
    if (key.revokedAt) throw new ApiError("invalid_request", "This key is revoked and can no longer be changed", "id");
    const rows = await tx.$queryRaw<{ remaining: number }[]>`
      UPDATE "ApiKey"
      SET "creditsRemaining" = LEAST(${available}::bigint + ${amount}::int, ${MAX_CREDITS}::int)::int,
        "creditsRefilledAt" = ${refilledAt}
      WHERE "id" = ${id} AND "creditsRemaining" IS NOT NULL
      RETURNING "creditsRemaining" AS remaining`;
    if (!rows[0])
      throw new ApiError("invalid_request", "This key has unlimited credits: set a credit balance first", "amount");
    const remaining = Number(rows[0].remaining);
    await recordAudit(
      {
        organizationId: actor.organizationId,
        userId: actor.userId,
        action: "key.credits_added",
        keyId: id,
        ip: meta.ip,
        metadata: { amount, remaining },
      },
      tx,
    );
    return remaining;
  });
}

// What a key without a refill was given: the remaining its credits were last set to (create or PATCH, from the audit log)
// plus what administrators added since; the key page's bar measures against it.
export async function creditsBaseline(keyId: string): Promise<number> {
  const events = await db.auditEvent.findMany({
    where: { keyId, action: { in: ["key.created", "key.updated", "key.credits_added"] } },
    orderBy: { createdAt: "desc" },
    select: { action: true, metadata: true },
    take: 200,
  });
  let added = 0;
  for (const e of events) {
    const meta = (e.metadata ?? {}) as { credits?: { remaining?: number } | null; amount?: number };
    if (e.action === "key.credits_added") added += meta.amount ?? 0;
    else if (meta.credits && typeof meta.credits.remaining === "number") return meta.credits.remaining + added;
  }
  return added;
}
