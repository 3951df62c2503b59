// The dashboard's notification bell: an organization's recent events in words, and how many arrived since the member
// last marked them read (or since they joined), so an organization without webhooks still sees them.
import { db } from "../db";
import type { OrgMember } from "../orgs/organizations";
import { describeEvent } from "./describe";
import { NOTIFIED_EVENT_TYPES, UNREAD_CAP } from "./types";

export type Notification = { id: string; type: string; text: string; createdAt: string; unread: boolean };
export type Notifications = { unread: number; events: Notification[] };

// The member's read mark: when they last marked all read, else when they joined.
async function readMark(member: OrgMember): Promise<Date> {
  const membership = await db.membership.findUniqueOrThrow({
    where: { organizationId_userId: { organizationId: member.organization.id, userId: member.userId } },
    select: { notificationsReadAt: true, createdAt: true },
  });
  return membership.notificationsReadAt ?? membership.createdAt;
}

// The latest `limit` events of the member's organization and the unread count (capped at UNREAD_CAP).
export async function getNotifications(member: OrgMember, limit = 10): Promise<Notifications> {
  const since = await readMark(member);
  const where = { organizationId: member.organization.id, type: { in: [...NOTIFIED_EVENT_TYPES] as string[] } };
  const [recent, unreadRows] = await Promise.all([
    db.event.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: limit }),
    db.event.findMany({ where: { ...where, createdAt: { gt: since } }, select: { id: true }, take: UNREAD_CAP }),
  ]);
  return {
    unread: unreadRows.length,
    events: recent.map((e) => ({
      id: e.id,
      type: e.type,
      text: describeEvent(e.type, (e.data ?? {}) as Record<string, unknown>),
      createdAt: e.createdAt.toISOString(),
      unread: e.createdAt > since,
    })),
  };
}

// Marks every event up to `now` read for the member.
export async function markNotificationsRead(member: OrgMember, now = new Date()): Promise<void> {
  await db.membership.update({
    where: { organizationId_userId: { organizationId: member.organization.id, userId: member.userId } },
    data: { notificationsReadAt: now },
  });
}
