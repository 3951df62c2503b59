// Prepaid credits (Unkey's "remaining"): a key with creditsRemaining null is unlimited; otherwise a verification that
// passed every other check spends its cost in ONE atomic statement, which also applies a due refill. No read-then-write:
// PostgreSQL re-evaluates the statement's conditions on the row's latest version under its row lock, so concurrent spends
// through any number of processes and instances never take the count below zero and admit exactly what it held.
//
// A refill SETS the remaining credits to the refill amount (as Unkey does; unspent credits do not accumulate) at the
// interval's UTC boundary (00:00 UTC each day, or the 1st of the month). It is applied lazily, by the first spend of a
// period: creditsRefilledAt records the start of the period last refilled for, so two instances refilling the same period
// refill it once (the second sees the period already recorded and only spends).
import { ApiError } from "../errors";
import { recordActorAudit } from "../audit";
import { db, getDb, isEmbeddedDb, queryOnDriver } from "../db";
import { Prisma } from "../generated/prisma/client";
import type { CreditInterval } from "../generated/prisma/enums";
import { MAX_CREDITS } from "../validations/keys";
import { invalidateCredits, ledgerRemaining, spendFromLedger } from "./credit-ledger";
import { effectiveRemaining, periodStart, type CreditsState, type SpendResult } from "./credit-refill";
import { authorizeInTx, type Actor } from "../orgs/actor";

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

type Pending = { cost: number; resolve: (r: SpendResult) => void; reject: (err: unknown) => void };
type KeyQueue = { now: number; pending: Pending[] };

// Spends waiting per key while a statement for that key is in flight: they go together in the next statement (a group
// commit), so a hot key costs one statement per round trip instead of one per verification, with no added latency for
// the first. Exactness does not depend on it: every statement is atomic on its own.
const waiting = new Map<string, KeyQueue>();
const inFlight = new Set<string>();

// Spends `cost` credits of key `keyId` at `now` (an injectable clock), refilling first when a refill is due. Cost 0
// spends nothing and always passes (a read that reports the count, its due refill counted). A key that has become
// unlimited since it was cached passes with remaining null.
export async function spendCredits(keyId: string, cost: number, now = Date.now()): Promise<SpendResult> {
  if (isEmbeddedDb()) return spendFromLedger(keyId, cost, now);
  if (cost === 0) {
    // Nothing to spend: a read, no write and no row lock (a due refill is written by the next spend).
    const { available } = creditSql(now);
    const rows = await db.$queryRaw<{ available: number | null }[]>`
      SELECT ${available} AS available FROM "ApiKey" WHERE "id" = ${keyId}`;
    if (!rows[0]) return { ok: false, remaining: 0 };
    const left = rows[0].available;
    return { ok: true, spent: 0, remaining: left === null ? null : Number(left) };
  }
  return new Promise<SpendResult>((resolve, reject) => {
    let queue = waiting.get(keyId);
    if (!queue) waiting.set(keyId, (queue = { now, pending: [] }));
    queue.pending.push({ cost, resolve, reject });
    if (!inFlight.has(keyId)) void drain(keyId);
  });
}

// Runs the waiting spends of a key, one statement per batch, until none wait.
async function drain(keyId: string): Promise<void> {
  inFlight.add(keyId);
  try {
    for (let queue = waiting.get(keyId); queue; queue = waiting.get(keyId)) {
      waiting.delete(keyId);
      await spendBatch(keyId, queue.pending, queue.now).catch((err: unknown) => {
        for (const p of queue!.pending) p.reject(err);
      });
    }
  } finally {
    inFlight.delete(keyId);
  }
}

type BatchRow = { unlimited: boolean; available: number | null };

// One statement for a batch of spends: it locks the key's row (FOR UPDATE: the latest version, whatever other processes
// committed), takes the batch's costs cheapest first while their running sum fits in what is available (a due refill
// applied), and writes the new count. Every spend admitted is one a serial run of the same requests would admit.
async function spendBatch(keyId: string, pending: Pending[], now: number): Promise<void> {
  const { available, refilledAt } = creditSql(now);
  const order = pending.map((p, i) => ({ p, i })).sort((a, b) => a.p.cost - b.p.cost);
  const costs = JSON.stringify(order.map((o) => o.p.cost));
  const statement = Prisma.sql`
    WITH old AS (
      SELECT "id", "creditsRemaining" IS NULL AS unlimited, ${available} AS available
      FROM "ApiKey" WHERE "id" = ${keyId} FOR UPDATE
    ), admitted AS (
      SELECT coalesce(max(s.cum), 0) AS total FROM (
        SELECT sum(t.value::int) OVER (ORDER BY t.ord) AS cum
        FROM json_array_elements_text(${costs}::json) WITH ORDINALITY AS t(value, ord)
      ) s, old WHERE s.cum <= old.available
    ), upd AS (
      UPDATE "ApiKey" k SET "creditsRemaining" = old.available - admitted.total, "creditsRefilledAt" = ${refilledAt}
      FROM old, admitted WHERE k."id" = old."id" AND NOT old.unlimited AND admitted.total > 0
      RETURNING k."id"
    )
    -- upd runs to completion whether or not it is read (PostgreSQL's rule for data-modifying WITH statements).
    SELECT old.unlimited, old.available FROM old`;
  // On the driver: a busy key runs one of these per round trip, where Prisma's own work per statement would cost more.
  const rows = await queryOnDriver<BatchRow>(getDb(), statement.text, statement.values);
  const row = rows[0];
  // The key is gone (its organization deleted since it was cached): nothing to spend from.
  if (!row) {
    for (const { p } of order) p.resolve({ ok: false, remaining: 0 });
    return;
  }
  if (row.unlimited) {
    for (const { p } of order) p.resolve({ ok: true, spent: 0, remaining: null });
    return;
  }
  let left = Number(row.available ?? 0);
  let refusing = false;
  const results: SpendResult[] = [];
  for (const { p } of order) {
    if (!refusing && p.cost <= left) {
      left -= p.cost;
      results.push({ ok: true, spent: p.cost, remaining: left });
    } else {
      refusing = true;
      results.push({ ok: false, remaining: 0 });
    }
  }
  // A refused spend reports what the batch left.
  order.forEach(({ p }, k) => p.resolve(results[k].ok ? results[k] : { ok: false, remaining: Math.max(0, left) }));
}

// The credit columns for a key's `credits` setting at `now` (create, PATCH): null makes the key unlimited; a refill rule
// counts the given remaining as this period's, so the first refill comes at the next boundary.
export function creditColumns(
  credits: { remaining: number; refill: { amount: number; interval: CreditInterval } | null } | null,
  now = Date.now(),
): CreditsState & { creditsBase: number | null } {
  if (!credits)
    return {
      creditsRemaining: null,
      creditsRefillAmount: null,
      creditsRefillInterval: null,
      creditsRefilledAt: null,
      creditsBase: null,
    };
  return {
    // credits.low (lib/events/scan) warns at 20 % and 0 % of this.
    creditsBase: credits.refill?.amount ?? credits.remaining,
    creditsRemaining: credits.remaining,
    creditsRefillAmount: credits.refill?.amount ?? null,
    creditsRefillInterval: credits.refill?.interval ?? null,
    creditsRefilledAt: credits.refill ? periodStart(credits.refill.interval, now) : null,
  };
}

// The key object's `credits`: null (unlimited) or what remains now and the refill rule.
export function toCreditsObject(key: CreditsState & { id?: string }, now = Date.now()) {
  // On the embedded database this process's in-memory count is the truth (the row is written behind it).
  const counted = key.id === undefined || key.creditsRemaining === null ? undefined : ledgerRemaining(key.id, now);
  const remaining = counted === undefined ? effectiveRemaining(key, now) : counted;
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
  actor: Actor,
  id: string,
  amount: number,
  meta: { ip: string | null },
  now = Date.now(),
): Promise<number> {
  const { available, refilledAt } = creditSql(now);
  // The embedded database's in-memory count: its pending spends are written first, and it is reloaded after.
  await invalidateCredits(id);
  const remaining = await db.$transaction(async (tx) => {
    await authorizeInTx(tx, actor, "keys.limits");
    const key = await tx.apiKey.findFirst({
      where: { id, organizationId: actor.organizationId },
      select: { id: true, revokedAt: true },
    });
    if (!key) throw new ApiError("not_found", "No key with this id");
    if (key.revokedAt) throw new ApiError("invalid_request", "This key is revoked and can no longer be changed", "id");
    const rows = await tx.$queryRaw<{ remaining: number }[]>`
      UPDATE "ApiKey"
      SET "creditsRemaining" = LEAST(${available}::bigint + ${amount}::int, ${MAX_CREDITS}::int)::int,
        "creditsRefilledAt" = ${refilledAt},
        -- A top-up changes the key: the low-credits warning (lib/events/scan.ts) is armed again.
        "updatedAt" = ${utcTimestamp(new Date(now))}::timestamp(3)
      WHERE "id" = ${id} AND "creditsRemaining" IS NOT NULL
      RETURNING "creditsRemaining" AS remaining`;
    if (!rows[0])
      throw new ApiError("invalid_request", "This key has unlimited credits: set a credit balance first", "amount");
    const remaining = Number(rows[0].remaining);
    await recordActorAudit(tx, actor, "key.credits_added", meta.ip, { keyId: id, metadata: { amount, remaining } });
    return remaining;
  });
  await invalidateCredits(id);
  return remaining;
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
