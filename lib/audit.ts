// Audit log: security-relevant events per organization (keys, members, policies) and per account (sign-in, MFA,
// passwords). Callers pass only identifiers, never secrets.
import { INSTANCE_ADMIN_ACTIONS, type AuditAction } from "./audit-actions";
import { afterCursor, NEWEST_FIRST, toPage, type Page } from "./cursor";
import { db } from "./db";
import { recordEvent } from "./events/emit";
import { AUDIT_EVENT_TYPE } from "./events/types";
import type { Prisma } from "./generated/prisma/client";
import type { Actor } from "./orgs/actor";

export { AUDIT_ACTIONS, type AuditAction } from "./audit-actions";

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

type AuditClient = Prisma.TransactionClient | typeof db;

// Records one audit event; an organization's event is also streamed, in the same transaction, to its webhook
// endpoints subscribed to `audit.event` (through the event outbox, so it is signed and retried like every event).
export async function recordAudit(input: AuditInput, client: AuditClient = db): Promise<void> {
  const data = {
    organizationId: input.organizationId ?? null,
    userId: input.userId,
    actorId: input.actor ? input.actor.userId : (input.actorId ?? input.userId),
    ...actorColumns(input),
    action: input.action,
    keyId: input.keyId ?? null,
    ip: input.ip ?? null,
    metadata: input.metadata,
  };
  const { organizationId } = data;
  if (!organizationId) {
    await client.auditEvent.create({ data });
    return;
  }
  const write = async (tx: Prisma.TransactionClient) => {
    const row = await tx.auditEvent.create({ data });
    await streamAuditEvent(tx, organizationId, row);
  };
  // A transaction's client has no $connect: write in it; the database client itself opens one.
  if ("$connect" in client) await (client as typeof db).$transaction(write);
  else await write(client);
}

// Records what an Actor did in its organization, in the write's transaction: the organization, user and acting key are
// the Actor's.
export function recordActorAudit(
  tx: Prisma.TransactionClient,
  actor: Actor,
  action: AuditAction,
  ip: string | null,
  details: Pick<AuditInput, "keyId" | "metadata"> = {},
): Promise<void> {
  return recordAudit({ organizationId: actor.organizationId, userId: actor.userId, actor, action, ip, ...details }, tx);
}

// Queues the audit.event webhook of a new audit row to the organization's subscribed endpoints (none: nothing written).
async function streamAuditEvent(tx: Prisma.TransactionClient, organizationId: string, row: AuditRow): Promise<void> {
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { organizationId, enabled: true, events: { has: AUDIT_EVENT_TYPE } },
    select: { id: true },
  });
  if (endpoints.length === 0) return;
  const key = row.keyId
    ? await tx.apiKey.findFirst({
        where: { id: row.keyId, organizationId },
        select: { id: true, name: true, prefix: true },
      })
    : null;
  const actor = row.actorId ? await tx.user.findUnique({ where: { id: row.actorId }, select: { email: true } }) : null;
  const event = toAuditEventObject({
    ...row,
    key,
    actor: row.actorId ? { id: row.actorId, email: actor?.email ?? null } : null,
    subjectEmail: null,
    organizationName: null,
  });
  await recordEvent(
    tx,
    { organizationId, type: AUDIT_EVENT_TYPE, data: event, dedupeKey: `audit:${row.id}` },
    { at: row.createdAt, endpointIds: endpoints.map((e) => e.id) },
  );
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

// Whose events to list: an organization's, an account's own (sign-in, MFA, passwords), or the instance's (what
// instance administrators did, across organizations and accounts).
export type AuditScope = { organizationId: string } | { accountId: string } | { instance: true };

// Narrowing a listing: one action, one acting user, one acting key, a time range (from inclusive, to exclusive).
export type AuditFilters = { action?: string; actorId?: string; keyId?: string; from?: string; to?: string };

function auditWhere(scope: AuditScope, filters: AuditFilters): Prisma.AuditEventWhereInput[] {
  const where: Prisma.AuditEventWhereInput[] = [
    "organizationId" in scope
      ? { organizationId: scope.organizationId }
      : "accountId" in scope
        ? { userId: scope.accountId, organizationId: null }
        : { action: { in: [...INSTANCE_ADMIN_ACTIONS] } },
  ];
  if (filters.action) where.push({ action: filters.action });
  if (filters.actorId) where.push({ actorId: filters.actorId });
  if (filters.keyId) where.push({ actorKeyId: filters.keyId });
  if (filters.from) where.push({ createdAt: { gte: new Date(filters.from) } });
  if (filters.to) where.push({ createdAt: { lt: new Date(filters.to) } });
  return where;
}

type AuditRow = Awaited<ReturnType<typeof db.auditEvent.findMany>>[number];

// The rows with their target key's name and prefix (keys of the same organization only) and their actor's email.
async function withNames(scope: AuditScope, rows: AuditRow[]) {
  const keyIds = [...new Set(rows.flatMap((e) => (e.keyId ? [e.keyId] : [])))];
  const keys =
    keyIds.length && "organizationId" in scope
      ? await db.apiKey.findMany({
          where: { id: { in: keyIds }, organizationId: scope.organizationId },
          select: { id: true, name: true, prefix: true },
        })
      : [];
  const userIds = [...new Set(rows.flatMap((e) => [e.actorId, e.userId].filter((id): id is string => id !== null)))];
  const users = userIds.length
    ? await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } })
    : [];
  const orgIds = [...new Set(rows.flatMap((e) => (e.organizationId ? [e.organizationId] : [])))];
  const orgs =
    "instance" in scope && orgIds.length
      ? await db.organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } })
      : [];
  const byId = new Map(keys.map((k) => [k.id, k]));
  const emailOf = new Map(users.map((a) => [a.id, a.email]));
  const orgNameOf = new Map(orgs.map((o) => [o.id, o.name]));
  return rows.map((e) => ({
    ...e,
    key: e.keyId ? (byId.get(e.keyId) ?? null) : null,
    actor: e.actorId ? { id: e.actorId, email: emailOf.get(e.actorId) ?? null } : null,
    // The account and organization concerned (the instance log's target column).
    subjectEmail: e.userId ? (emailOf.get(e.userId) ?? null) : null,
    organizationName: e.organizationId ? (orgNameOf.get(e.organizationId) ?? null) : null,
  }));
}

export type AuditEventRow = Awaited<ReturnType<typeof withNames>>[number];

// One page of audit events, newest first, by opaque keyset cursor over (createdAt, id), each with its key's name and
// prefix and its actor's email. A cursor this module did not write is invalid_request naming `cursor`.
export async function listAuditEvents(
  scope: AuditScope,
  opts: AuditFilters & { cursor?: string; limit?: number } = {},
): Promise<Page<AuditEventRow>> {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 100);
  const rows = await db.auditEvent.findMany({
    where: { AND: [...auditWhere(scope, opts), afterCursor(opts.cursor)] },
    orderBy: NEWEST_FIRST,
    take: limit + 1,
  });
  const page = toPage(rows, limit, (row) => row);
  return { data: await withNames(scope, page.data), nextCursor: page.nextCursor };
}

// Every matching event, newest first, a page at a time (for the NDJSON export: memory stays one page).
export async function* eachAuditEvent(scope: AuditScope, filters: AuditFilters = {}): AsyncGenerator<AuditEventRow> {
  let cursor: string | undefined;
  do {
    const page = await listAuditEvents(scope, { ...filters, cursor, limit: 100 });
    yield* page.data;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

// An audit event as the API, the NDJSON export and the audit.event webhook show it: who acted (user, acting key),
// on what (user, key), with what details. Never a secret: callers record only identifiers.
export type AuditEventObject = {
  id: string;
  action: string;
  at: string;
  organizationId: string | null;
  actor: {
    type: AuditActorType;
    userId: string | null;
    email: string | null;
    keyId: string | null;
    keyPrefix: string | null;
    keyName: string | null;
  };
  target: { userId: string | null; keyId: string | null; keyName: string | null; keyPrefix: string | null };
  metadata: unknown;
  ip: string | null;
};

// The public shape of one listed event (an event recorded before actor types were stored is a user's when it names one).
export function toAuditEventObject(e: AuditEventRow): AuditEventObject {
  return {
    id: e.id,
    action: e.action,
    at: e.createdAt.toISOString(),
    organizationId: e.organizationId,
    actor: {
      type: (e.actorType as AuditActorType | null) ?? (e.actorId ? "user" : "system"),
      userId: e.actorId,
      email: e.actor?.email ?? null,
      keyId: e.actorKeyId,
      keyPrefix: e.actorKeyPrefix,
      keyName: e.actorKeyName,
    },
    target: { userId: e.userId, keyId: e.keyId, keyName: e.key?.name ?? null, keyPrefix: e.key?.prefix ?? null },
    metadata: e.metadata ?? null,
    ip: e.ip,
  };
}
