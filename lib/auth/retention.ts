// Retention of failed sign-in records: SignInFailure rows and the failed/locked sign-in audit events hold emails and
// IPs of whoever tried, so they are kept 30 days (the lockout itself only looks back 15 minutes).
import type { PrismaClient } from "../generated/prisma/client";

export const SIGNIN_RECORD_RETENTION_DAYS = 30;
const PRUNED_AUDIT_ACTIONS = ["auth.signin_failed", "auth.signin_locked"];

// Deletes failed sign-in rows and audit events older than the retention; run by the hourly usage maintenance.
export async function pruneSignInRecords(
  client: PrismaClient,
  { now = new Date() }: { now?: Date } = {},
): Promise<{ failures: number; auditEvents: number }> {
  const cutoff = new Date(now.getTime() - SIGNIN_RECORD_RETENTION_DAYS * 86_400_000);
  const failures = await client.signInFailure.deleteMany({ where: { createdAt: { lt: cutoff } } });
  const auditEvents = await client.auditEvent.deleteMany({
    where: { action: { in: PRUNED_AUDIT_ACTIONS }, createdAt: { lt: cutoff } },
  });
  return { failures: failures.count, auditEvents: auditEvents.count };
}
