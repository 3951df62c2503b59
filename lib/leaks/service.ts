// Leak to revocation: a secret found in public (GitHub secret scanning, or anyone's report) is checked offline first —
// a string that fails the key format or checksum costs no database query — then matched to its key, and the
// organization's leak response applies: revoke (the default) or notify (mark only). Each place a key is found is
// recorded once (KeyLeak), audited as key.leaked, emitted as the key.leaked event in the same transaction, and mailed to
// the organization's admins and owners when SMTP_URL is set (at most once per key an hour).
//
// A secret that no longer works (its key already revoked, or replaced by a rotation whose grace period has ended) is
// still a real Keyhold key (GitHub's true_positive): the place is recorded and audited once, so the organization sees
// where it turned up, but nothing is revoked, no event is sent and nobody is mailed. A place reported again (same key,
// source and URL) changes nothing at all: a repeated report cannot flood the audit log, the webhooks or the admins.
import { db } from "../db";
import type { LeakAction, LeakSource } from "../generated/prisma/enums";
import { parseKey } from "../keys/format";
import { hashKey } from "../keys/hash";
import { invalidateKeyEverywhere } from "../keys/invalidation";
import { toKeyObject } from "../keys/record";
import { revokeInTransaction } from "../keys/service";
import { publicUrl } from "../link-tokens";
import { mailEnabled, mailName, sendMail } from "../mail";
import { MAX_LEAK_URL_LENGTH } from "../validations/leaks";
import { leakSourceLabel } from "./notices";
import { recordChange } from "../record-change";

export type LeakLabel = "true_positive" | "false_positive";

export type LeakReport = {
  // The string found (not necessarily a Keyhold key).
  secret: string;
  source: LeakSource;
  // Where it was found, when the reporter said.
  url: string | null;
  // What the reporter adds (GitHub: the token type and where on GitHub); audited as given, never a secret.
  details?: Record<string, string>;
};

// label: whether the string is a Keyhold key; action: what this report did (null: not a key, or a place already
// recorded).
export type LeakOutcome = { label: LeakLabel; action: LeakAction | null };

const NOT_A_KEY: LeakOutcome = { label: "false_positive", action: null };
const MAIL_EVERY_MS = 60 * 60 * 1000;

// The URL as stored: printable ASCII (an http(s) URL in its encoded form), at most 2048 characters; "" for none.
export function storedLeakUrl(url: string | null | undefined): string {
  if (!url) return "";
  const text = URL.canParse(url) ? new URL(url).href : url;
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, MAX_LEAK_URL_LENGTH);
}

// Handles one found secret: the label for the reporter, and the leak response applied once per key and place.
export async function handleLeak(report: LeakReport, meta: { ip: string | null }): Promise<LeakOutcome> {
  if (!parseKey(report.secret)) return NOT_A_KEY;
  const hash = hashKey(report.secret);
  const url = storedLeakUrl(report.url);
  const now = new Date();
  const done = await db.$transaction(async (tx) => {
    // The row lock orders concurrent reports of one key: one revokes, the next sees it revoked.
    const [found] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "ApiKey" WHERE hash = ${hash} OR "previousHash" = ${hash} FOR UPDATE`;
    if (!found) return null;
    const key = await tx.apiKey.findUniqueOrThrow({
      where: { id: found.id },
      include: { organization: { select: { leakResponse: true } } },
    });
    const works =
      !key.revokedAt && (key.hash === hash || (key.previousExpiresAt !== null && key.previousExpiresAt > now));
    const action: LeakAction = !works ? "none" : key.organization.leakResponse === "revoke" ? "revoked" : "notified";
    // Admins get at most one mail per key an hour, however many places it turns up in (the audit log lists them all).
    const mailedLately = await tx.keyLeak.count({
      where: { keyId: key.id, action: { not: "none" }, createdAt: { gt: new Date(now.getTime() - MAIL_EVERY_MS) } },
    });
    const recorded = await tx.keyLeak.createMany({
      data: [
        { keyId: key.id, organizationId: key.organizationId, source: report.source, url, secretHash: hash, action },
      ],
      skipDuplicates: true,
    });
    if (recorded.count === 0) return { key, action: null, mail: false };
    const after = action === "revoked" ? await revokeInTransaction(tx, key, null, meta) : key;
    await recordChange(tx, {
      audit: {
        organizationId: key.organizationId,
        userId: null,
        action: "key.leaked",
        keyId: key.id,
        ip: meta.ip,
        metadata: {
          source: report.source,
          url: url || null,
          action,
          name: key.name,
          prefix: key.prefix,
          ...(report.details ?? {}),
        },
      },
      event:
        action !== "none"
          ? {
              type: "key.leaked",
              data: { key: toKeyObject(after), source: report.source, url: url || null, action },
            }
          : null,
    });
    return { key, action, mail: mailedLately === 0 };
  });
  if (!done) return NOT_A_KEY;
  if (done.action === "revoked") await invalidateKeyEverywhere(done.key.id);
  if (done.mail && (done.action === "revoked" || done.action === "notified"))
    await mailAdmins({ ...done.key, action: done.action, source: report.source, url });
  return { label: "true_positive", action: done.action };
}

// Tells the organization's admins and owners (when SMTP_URL is set) where the key was found and what happened.
async function mailAdmins(leak: {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  action: "revoked" | "notified";
  source: LeakSource;
  url: string;
}): Promise<void> {
  if (!mailEnabled()) return;
  const org = await db.organization.findUniqueOrThrow({
    where: { id: leak.organizationId },
    select: {
      name: true,
      slug: true,
      memberships: { where: { role: { in: ["owner", "admin"] } }, select: { user: { select: { email: true } } } },
    },
  });
  const where = `${leakSourceLabel(leak.source)}${leak.url ? `: ${leak.url}` : ""}`;
  const what =
    leak.action === "revoked"
      ? "Keyhold revoked it: requests with it are refused from now on. Create a new key for whatever used it."
      : "Your organization's leak response is notify, so the key still works: rotate or revoke it now.";
  const link = publicUrl(`/dashboard/${org.slug}/keys/${leak.id}`);
  for (const { user } of org.memberships)
    sendMail({
      to: user.email,
      subject: `Keyhold key "${mailName(leak.name)}" found in public${leak.action === "revoked" ? " and revoked" : ""}`,
      text: `The key "${mailName(leak.name)}" (${leak.prefix}…) of ${mailName(org.name)} was found in a public place (${where}).\n\n${what}\n\n${link}\n`,
    });
}
