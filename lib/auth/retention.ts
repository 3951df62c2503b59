// Retention of sign-in and audit records: SignInFailure rows (the lockout's working set) are kept 30 days; audit
// events, failed sign-ins included, are kept as long as AUDIT_RETENTION_DAYS says (unset: forever).
import type { PrismaClient } from "../generated/prisma/client";

export const SIGNIN_RECORD_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;

// Deletes failed sign-in rows older than 30 days and, with a retention, audit events older than it; run by the event
// worker every hour (lib/webhooks/worker.ts).
export async function pruneSignInRecords(
  client: PrismaClient,
  { now = new Date(), auditRetentionDays = null }: { now?: Date; auditRetentionDays?: number | null } = {},
): Promise<{ failures: number; auditEvents: number }> {
  const cutoff = new Date(now.getTime() - SIGNIN_RECORD_RETENTION_DAYS * DAY_MS);
  const failures = await client.signInFailure.deleteMany({ where: { createdAt: { lt: cutoff } } });
  const auditEvents = auditRetentionDays
    ? await client.auditEvent.deleteMany({
        where: { createdAt: { lt: new Date(now.getTime() - auditRetentionDays * DAY_MS) } },
      })
    : { count: 0 };
  return { failures: failures.count, auditEvents: auditEvents.count };
}
