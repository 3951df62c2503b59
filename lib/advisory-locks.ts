// Every PostgreSQL transaction-level advisory lock Keyhold takes, by name, so the ids stay apart. An id never changes:
// instances of two versions running side by side (a rolling deploy) must take the same lock for the same thing.
import type { Prisma } from "./generated/prisma/client";

// Locks taken alone (one bigint) and locks taken per key (the two-int form `(id, hashtext(key))`, a lock space of its
// own): the two forms never collide, even with equal numbers.
export const ADVISORY_LOCKS = {
  // Sign-ups, one at a time: two concurrent first sign-ups cannot both become ADMIN.
  signUp: 727274,
  // Per email: a sign-in attempt is claimed (or refused as locked out) before any password is checked.
  signInAttempt: 7272,
  // Per organization: changes to its members and invitations, one at a time.
  organizationMembers: 7373,
  // Per email: invitation mails to one address, counted against its daily allowance.
  invitationMails: 7374,
  // Per email: notification mails to one address, counted against its hourly allowance.
  notificationMails: 7375,
  // Webhook delivery claims across processes, so "nothing in flight for this endpoint" holds from check to claim.
  webhookClaims: 7474,
  // Per organization: webhook endpoint creations, so the count cannot be passed by a race.
  webhookEndpoints: 7575,
} as const;

export type AdvisoryLock = keyof typeof ADVISORY_LOCKS;

// Takes lock `name` until the transaction ends; with `key`, only that key's lock (the two-int form).
export async function advisoryLock(
  tx: Pick<Prisma.TransactionClient, "$executeRaw">,
  name: AdvisoryLock,
  key?: string,
): Promise<void> {
  const id = ADVISORY_LOCKS[name];
  if (key === undefined) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${id}::bigint)`;
  else await tx.$executeRaw`SELECT pg_advisory_xact_lock(${id}::integer, hashtext(${key}))`;
}
