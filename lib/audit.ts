// Audit log: security-relevant events per organization (keys, members, policies) and per account (sign-in, MFA,
// passwords). Callers pass only identifiers, never secrets.
import { db } from "./db";
import type { Prisma } from "./generated/prisma/client";
import type { Actor } from "./orgs/actor";

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
  | "key.leaked"
  | "key.credits_added"
  | "routes.updated"
  | "mfa.enabled"
  | "mfa.disabled"
  | "mfa.recovery_regenerated"
  | "mfa.recovery_used"
  | "mfa.code_failed"
  | "mfa.locked"
  | "admin.administrator_created"
  | "admin.administrator_promoted"
  | "admin.plan_changed"
  | "admin.account_suspended"
  | "admin.account_restored"
  | "admin.organization_suspended"
  | "admin.organization_restored"
  | "org.created"
  | "org.updated"
  | "org.policies_updated"
  | "org.deleted"
  | "org.ownership_transferred"
  | "member.invited"
  | "member.invitation_revoked"
  | "member.joined"
  | "member.role_changed"
  | "member.removed"
  | "member.left"
  | "key_request.created"
  | "key_request.approved"
  | "key_request.denied"
  | "key_request.revealed"
  | "permissions.added"
  | "permissions.described"
  | "permissions.deleted"
  | "permissions.updated"
  | "webhook.created"
  | "webhook.updated"
  | "webhook.deleted";

// How an audit event's actor came (the column actorType): a signed-in user, an API key acting as its creator, the
// service token, the system itself (schedules, leak scanning), or nobody identified (a public report).
export type AuditActorType = "user" | "key" | "service" | "system" | "anonymous";

export interface AuditInput {
  // The organization the event belongs to; omitted for account events.
  organizationId?: string | null;
  userId: string | null;
  actorId?: string | null;
  // Who acted, when it was an Actor (its user becomes actorId, its key the acting key); actorType without one.
  actor?: Actor;
  actorType?: AuditActorType;
  action: AuditAction;
  keyId?: string | null;
  ip?: string | null;
  metadata?: Prisma.InputJsonValue;
}

// Records one audit event.
export async function recordAudit(input: AuditInput, client: Pick<typeof db, "auditEvent"> = db): Promise<void> {
  await client.auditEvent.create({
    data: {
      organizationId: input.organizationId ?? null,
      userId: input.userId,
      actorId: input.actor ? input.actor.userId : (input.actorId ?? input.userId),
      ...actorColumns(input),
      action: input.action,
      keyId: input.keyId ?? null,
      ip: input.ip ?? null,
      metadata: input.metadata,
    },
  });
}

// The actor's type and acting key as stored (an event recorded without an actor is a user's when it names one).
function actorColumns(input: AuditInput) {
  const { actor } = input;
  if (!actor) return { actorType: input.actorType ?? ((input.actorId ?? input.userId) ? "user" : "system") };
  const actorType: AuditActorType =
    actor.via === "key" ? "key" : actor.via === "service" ? "service" : actor.userId ? "user" : "system";
  return {
    actorType,
    actorKeyId: actor.key?.id ?? null,
    actorKeyPrefix: actor.key?.prefix ?? null,
    actorKeyName: actor.key?.name ?? null,
  };
}

// Whose events to list: an organization's, or an account's own (sign-in, MFA, passwords).
export type AuditScope = { organizationId: string } | { accountId: string };

// One page of audit events, newest first, by keyset cursor, each with its key's name and prefix and its actor's email.
export async function listAuditEvents(scope: AuditScope, opts: { cursor?: string; limit?: number } = {}) {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 100);
  const where =
    "organizationId" in scope
      ? { organizationId: scope.organizationId }
      : { userId: scope.accountId, organizationId: null };
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, limit);
  const keyIds = [...new Set(page.flatMap((e) => (e.keyId ? [e.keyId] : [])))];
  const keys =
    keyIds.length && "organizationId" in scope
      ? await db.apiKey.findMany({
          where: { id: { in: keyIds }, organizationId: scope.organizationId },
          select: { id: true, name: true, prefix: true },
        })
      : [];
  const actorIds = [...new Set(page.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
  const actors = actorIds.length
    ? await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } })
    : [];
  const byId = new Map(keys.map((k) => [k.id, k]));
  const emailOf = new Map(actors.map((a) => [a.id, a.email]));
  const data = page.map((e) => ({
    ...e,
    key: e.keyId ? (byId.get(e.keyId) ?? null) : null,
    actor: e.actorId ? { id: e.actorId, email: emailOf.get(e.actorId) ?? null } : null,
  }));
  return { data, nextCursor: rows.length > limit ? page[page.length - 1].id : null };
}
