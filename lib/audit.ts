// Audit log: security-relevant events per account. Callers pass only identifiers, never secrets.
import { db } from "./db";
import type { Prisma } from "./generated/prisma/client";

export type AuditAction =
  | "auth.signup"
  | "auth.signin"
  | "auth.signin_failed"
  | "auth.signin_locked"
  | "auth.signin_suspended"
  | "auth.signout"
  | "auth.signout_everywhere"
  | "auth.password_changed"
  | "auth.password_reset_issued"
  | "auth.password_reset_requested"
  | "auth.password_reset"
  | "key.created"
  | "key.updated"
  | "key.rotated"
  | "key.revoked"
  | "mfa.enabled"
  | "mfa.disabled"
  | "mfa.recovery_regenerated"
  | "mfa.recovery_used"
  | "mfa.code_failed"
  | "mfa.locked"
  | "admin.plan_changed"
  | "admin.account_suspended"
  | "admin.account_restored";

export interface AuditInput {
  userId: string | null;
  actorId?: string | null;
  action: AuditAction;
  keyId?: string | null;
  ip?: string | null;
  metadata?: Prisma.InputJsonValue;
}

// Records one audit event.
export async function recordAudit(input: AuditInput, client: Pick<typeof db, "auditEvent"> = db): Promise<void> {
  await client.auditEvent.create({
    data: {
      userId: input.userId,
      actorId: input.actorId ?? input.userId,
      action: input.action,
      keyId: input.keyId ?? null,
      ip: input.ip ?? null,
      metadata: input.metadata,
    },
  });
}

// One page of an account's audit events, newest first, by keyset cursor, each with its key's name and prefix.
export async function listAuditEvents(userId: string, opts: { cursor?: string; limit?: number } = {}) {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 100);
  const rows = await db.auditEvent.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  const keyIds = [...new Set(page.flatMap((e) => (e.keyId ? [e.keyId] : [])))];
  const keys = keyIds.length
    ? await db.apiKey.findMany({
        where: { id: { in: keyIds }, userId },
        select: { id: true, name: true, prefix: true },
      })
    : [];
  const byId = new Map(keys.map((k) => [k.id, k]));
  const data = page.map((e) => ({ ...e, key: e.keyId ? (byId.get(e.keyId) ?? null) : null }));
  return { data, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}
