// Notification mail (when SMTP_URL is set): key expiry to the key's creator and the organization's admins, a daily
// digest of pending key requests to admins, and the decision on a request to its requester. Each user may turn each
// kind off (Security page); every address gets at most MAIL_PER_ADDRESS_PER_HOUR of them; names are plain text.
import { db } from "../db";
import { env } from "../env";
import { publicUrl } from "../link-tokens";
import { mailEnabled, mailName, sendMail } from "../mail";

import { MAIL_KINDS, type MailKind } from "./mail-kinds";
import { advisoryLock } from "../advisory-locks";

const HOUR_MS = 3_600_000;

// The notification mail kinds a user turned off.
export async function getMailOptOut(userId: string): Promise<MailKind[]> {
  const { mailOptOut } = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { mailOptOut: true } });
  return MAIL_KINDS.filter((kind) => mailOptOut.includes(kind));
}

// Turns each notification mail kind on (listed) or off (not listed) for a user.
export async function setMailPreferences(userId: string, enabled: readonly MailKind[]): Promise<void> {
  await db.user.update({
    where: { id: userId },
    data: { mailOptOut: MAIL_KINDS.filter((kind) => !enabled.includes(kind)) },
  });
}
const DAY_MS = 24 * HOUR_MS;

type Recipient = { id: string; email: string; mailOptOut: string[] };
type Mail = { subject: string; text: string };

// Sends one notification mail to a user unless they turned its kind off, the address had its hourly share, or (with a
// dedupeKey) it went out already; the check and the record share a transaction under the address's lock, so
// instances sending at once count one after another. Answers whether it was sent.
export async function sendNotificationMail(
  to: Recipient,
  kind: MailKind,
  mail: Mail,
  opts: { dedupeKey?: string; now?: Date } = {},
): Promise<boolean> {
  if (!mailEnabled() || to.mailOptOut.includes(kind)) return false;
  const now = opts.now ?? new Date();
  const email = to.email.toLowerCase();
  const sent = await db.$transaction(async (tx) => {
    await advisoryLock(tx, "notificationMails", email);
    const recent = await tx.mailLog.count({ where: { email, createdAt: { gt: new Date(now.getTime() - HOUR_MS) } } });
    if (recent >= env().MAIL_PER_ADDRESS_PER_HOUR) return false;
    const { count } = await tx.mailLog.createMany({
      data: [{ email, kind, dedupeKey: opts.dedupeKey ?? null, createdAt: now }],
      skipDuplicates: true,
    });
    return count === 1;
  });
  if (sent) sendMail({ to: email, ...mail });
  return sent;
}

const recipientSelect = { id: true, email: true, mailOptOut: true } as const;

// The organization's admins and owners, plus `alsoUserId` (a key's creator) when they are still a member.
async function adminsAnd(organizationId: string, alsoUserId: string | null): Promise<Recipient[]> {
  const members = await db.membership.findMany({
    where: {
      organizationId,
      OR: [{ role: { in: ["owner", "admin"] } }, ...(alsoUserId ? [{ userId: alsoUserId }] : [])],
      user: { suspendedAt: null },
    },
    select: { user: { select: recipientSelect } },
  });
  return members.map((m) => m.user);
}

type ExpiryKey = { id: string; name: string; prefix: string; expiresAt: string | null; createdBy: string | null };

// Mails an expiry announcement the scan just recorded (the event's dedupeKey made this instance its only sender).
export async function mailKeyExpiry(
  organizationId: string,
  key: ExpiryKey,
  threshold: "7d" | "1d" | "expired",
  now: Date,
): Promise<void> {
  if (!mailEnabled()) return;
  const org = await db.organization.findUnique({ where: { id: organizationId }, select: { name: true, slug: true } });
  if (!org) return;
  const name = `"${mailName(key.name)}" (${key.prefix}…) of ${mailName(org.name)}`;
  const when = key.expiresAt ? new Date(key.expiresAt).toISOString().replace(".000Z", "Z") : "";
  const mail =
    threshold === "expired"
      ? {
          subject: `Keyhold key "${mailName(key.name)}" expired`,
          text: `The key ${name} expired at ${when} (UTC). Requests with it are now refused.\n\nCreate a new key if it is still needed:\n${publicUrl(`/dashboard/${org.slug}/keys`)}\n`,
        }
      : {
          subject: `Keyhold key "${mailName(key.name)}" expires in ${threshold === "1d" ? "1 day" : "7 days"}`,
          text: `The key ${name} expires at ${when} (UTC). After that, requests with it are refused.\n\nRotate it or extend its expiry:\n${publicUrl(`/dashboard/${org.slug}/keys/${key.id}`)}\n`,
        };
  for (const user of await adminsAnd(organizationId, key.createdBy))
    await sendNotificationMail(user, "key_expiry", mail, {
      dedupeKey: `key_expiry:${key.id}:${threshold}:${key.expiresAt}:${user.id}`,
      now,
    });
}

// Mails each admin and owner of an organization with pending key requests a digest, once per UTC day.
export async function mailRequestDigests(now: Date): Promise<void> {
  if (!mailEnabled()) return;
  const pending = await db.keyRequest.findMany({
    where: { status: "pending", expiresAt: { gt: now } },
    select: { organizationId: true, name: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });
  const byOrg = new Map<string, { name: string; createdAt: Date }[]>();
  for (const r of pending) byOrg.set(r.organizationId, [...(byOrg.get(r.organizationId) ?? []), r]);
  const day = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  for (const [organizationId, requests] of byOrg) {
    const org = await db.organization.findUnique({ where: { id: organizationId }, select: { name: true, slug: true } });
    if (!org) continue;
    const list = requests
      .slice(0, 20)
      .map((r) => `- "${mailName(r.name)}", asked ${r.createdAt.toISOString().slice(0, 16).replace("T", " ")} UTC`)
      .join("\n");
    const more = requests.length > 20 ? `\n… and ${requests.length - 20} more` : "";
    const mail = {
      subject: `${requests.length} key request${requests.length === 1 ? "" : "s"} waiting in ${mailName(org.name)}`,
      text: `These key requests in ${mailName(org.name)} wait for an admin's decision:\n\n${list}${more}\n\nReview them:\n${publicUrl(`/dashboard/${org.slug}/requests`)}\n`,
    };
    for (const user of await adminsAnd(organizationId, null))
      await sendNotificationMail(user, "request_digest", mail, {
        dedupeKey: `request_digest:${organizationId}:${day}:${user.id}`,
        now,
      });
  }
}

// Tells a requester their request was approved (reveal the key now) or denied (with the reason).
export async function mailRequestDecision(
  request: { id: string; organizationId: string; requesterId: string; name: string; status: string },
  denyReason: string | null,
): Promise<void> {
  if (!mailEnabled()) return;
  const [user, org] = await Promise.all([
    db.user.findUnique({ where: { id: request.requesterId }, select: recipientSelect }),
    db.organization.findUnique({ where: { id: request.organizationId }, select: { name: true, slug: true } }),
  ]);
  if (!user || !org) return;
  const link = publicUrl(`/dashboard/${org.slug}/requests`);
  const name = `"${mailName(request.name)}"`;
  const mail =
    request.status === "approved"
      ? {
          subject: `Your key request ${name} was approved`,
          text: `Your key request ${name} in ${mailName(org.name)} was approved. Reveal the key (shown once) within 7 days of your request:\n${link}\n`,
        }
      : {
          subject: `Your key request ${name} was denied`,
          text: `Your key request ${name} in ${mailName(org.name)} was denied.\n\nReason: ${mailName(denyReason ?? "")}\n\n${link}\n`,
        };
  await sendNotificationMail(user, "request_decision", mail, { dedupeKey: `request_decision:${request.id}` });
}

// Deletes mail records older than 8 days: past the throttle's hour, the digest's day and the scan's 7-day look-back.
export async function pruneMailLog(now = new Date()): Promise<number> {
  const { count } = await db.mailLog.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - 8 * DAY_MS) } } });
  return count;
}

// Runs a mail step without letting its failure stop the caller (a scan, a decision already committed).
export async function mailSafely(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (err) {
    console.error("notification mail failed:", err instanceof Error ? err.message : String(err));
  }
}
