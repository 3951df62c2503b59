// Notification mail against a real SMTP server, with an injected clock: key expiry (7 days, 1 day, expired) to the
// key's creator and the organization's admins, one mail per key and threshold however many scanners run at once; the
// daily digest of pending key requests (none when empty); request decisions to the requester; per-user opt-out; the
// per-address hourly throttle; names without control characters.
import { afterAll, describe, expect, it, vi } from "vitest";
import { mailIdle } from "@/lib/mail";

const { bodyOf, startMailInbox, subjectOf } = await import("../helpers/smtp");
const mailServer = await startMailInbox();
vi.stubEnv("MAIL_PER_ADDRESS_PER_HOUR", "3");

const { db } = await import("@/lib/db");
const { runScheduledScan } = await import("@/lib/events/scan");
const { sendNotificationMail, setMailPreferences } = await import("@/lib/events/mail");
const { createKey } = await import("@/lib/keys/service");
const { approveKeyRequest, createKeyRequest, denyKeyRequest } = await import("@/lib/orgs/key-requests");
const { findMembership } = await import("@/lib/orgs/organizations");
const { withTestDb } = await import("../helpers/db");
const { createUser, keyRequestInput } = await import("../helpers/keys");
const { seedTeam } = await import("../helpers/org-team");

withTestDb();

afterAll(async () => {
  await mailIdle();
  await mailServer.close();
});

const DAY = 86_400_000;
const meta = { ip: null };

function mailsTo(email: string) {
  return mailServer.inbox.filter((m) => m.to === email.toLowerCase());
}

// Two scanners at the same instant, as two instances would run.
async function scanTwice(at: Date) {
  await Promise.all([runScheduledScan(at), runScheduledScan(at)]);
  await mailIdle();
}

async function team() {
  return seedTeam(createUser, { admin: "admin", quiet: "admin", dev: "developer", viewer: "viewer" });
}

describe("key expiry mail", () => {
  it("mails the creator and the admins 7 days and 1 day ahead and at expiry, once each across two scanners", async () => {
    const { org, owner, admin, quiet, dev, viewer } = await team();
    await setMailPreferences(quiet.id, ["request_digest", "request_decision"]);
    const t0 = Date.now();
    const { key } = await createKey(
      { organizationId: org.id, userId: dev.id, role: "developer" },
      {
        name: "billing",
        environment: "test",
        scopes: ["read"],
        expiresAt: new Date(t0 + 10 * DAY),
        ipAllowlist: [],
        rateLimit: null,
        credits: null,
      },
      meta,
    );
    // A name stored before names refused control characters.
    await db.apiKey.update({ where: { id: key.id }, data: { name: "billing\u202e\r\nBcc: x@evil.example" } });

    await scanTwice(new Date(t0));
    await scanTwice(new Date(t0 + 3.5 * DAY));
    await scanTwice(new Date(t0 + 4 * DAY));
    await scanTwice(new Date(t0 + 9.5 * DAY));
    await scanTwice(new Date(t0 + 9.6 * DAY));
    await scanTwice(new Date(t0 + 10 * DAY + 60_000));
    await scanTwice(new Date(t0 + 10 * DAY + 120_000));

    for (const user of [dev, owner, admin]) {
      const subjects = mailsTo(user.email).map((m) => subjectOf(m.raw));
      expect(subjects.sort(), user.email).toEqual(
        [
          'Keyhold key "billingBcc: x@evil.example" expires in 7 days',
          'Keyhold key "billingBcc: x@evil.example" expires in 1 day',
          'Keyhold key "billingBcc: x@evil.example" expired',
        ].sort(),
      );
    }
    const body = bodyOf(mailsTo(dev.email).find((m) => subjectOf(m.raw).endsWith("7 days"))!.raw);
    expect(body).toContain(`(${key.prefix}…) of Acme`);
    expect(body).toContain(`/dashboard/${org.slug}/keys/${key.id}`);
    expect(mailServer.inbox.some((m) => /^Bcc: /m.test(m.raw))).toBe(false);
    expect(mailsTo(viewer.email)).toHaveLength(0);
    expect(mailsTo(quiet.email)).toHaveLength(0);
  });
});

describe("key request mail", () => {
  it("sends admins one digest a day while requests wait, none when none wait; tells the requester the decision", async () => {
    const { org, owner, admin, quiet, dev } = await team();
    await setMailPreferences(quiet.id, ["key_expiry", "request_decision"]);
    const devMember = (await findMembership(dev.id, org.slug))!;
    const ownerMember = (await findMembership(owner.id, org.slug))!;
    const ask = (name: string) => createKeyRequest(devMember, keyRequestInput({ name }), meta);
    const day = Math.floor(Date.now() / DAY) * DAY;
    const digests = (email: string) => mailsTo(email).filter((m) => /key requests? waiting/.test(subjectOf(m.raw)));

    // Nothing pending: no digest.
    await scanTwice(new Date(day + 3_600_000));
    expect(digests(admin.email)).toHaveLength(0);

    const first = await ask("ci-deploy");
    const second = await ask("analytics\u0007");
    await scanTwice(new Date(day + 2 * 3_600_000));
    await scanTwice(new Date(day + 5 * 3_600_000));
    for (const user of [owner, admin]) {
      const got = digests(user.email);
      expect(
        got.map((m) => subjectOf(m.raw)),
        user.email,
      ).toEqual(["2 key requests waiting in Acme"]);
      expect(bodyOf(got[0].raw)).toContain('"ci-deploy"');
      expect(bodyOf(got[0].raw)).toContain('"analytics"');
    }
    expect(digests(quiet.email)).toHaveLength(0);
    expect(digests(dev.email)).toHaveLength(0);

    // The next day, still waiting: one more digest.
    await scanTwice(new Date(day + DAY + 3_600_000));
    expect(digests(admin.email)).toHaveLength(2);

    await approveKeyRequest(ownerMember, first.id, meta);
    await denyKeyRequest(ownerMember, second.id, "Use the shared\nanalytics key", meta);
    await mailIdle();
    const decisions = mailsTo(dev.email).map((m) => subjectOf(m.raw));
    expect(decisions.sort()).toEqual([
      'Your key request "analytics" was denied',
      'Your key request "ci-deploy" was approved',
    ]);
    const denied = mailsTo(dev.email).find((m) => subjectOf(m.raw).endsWith("denied"))!;
    expect(bodyOf(denied.raw)).toContain("Reason: Use the sharedanalytics key");

    // Nothing waits any more: no digest the day after.
    await scanTwice(new Date(day + 2 * DAY + 3_600_000));
    expect(digests(admin.email)).toHaveLength(2);

    // A requester who turned decisions off hears nothing.
    await setMailPreferences(dev.id, []);
    await denyKeyRequest(ownerMember, (await ask("third")).id, "no", meta);
    await mailIdle();
    expect(mailsTo(dev.email)).toHaveLength(2);
  });
});

describe("the per-address throttle", () => {
  it("sends an address at most MAIL_PER_ADDRESS_PER_HOUR notification mails an hour, then again the next hour", async () => {
    const user = await createUser("busy");
    const to = { id: user.id, email: user.email, mailOptOut: [] };
    const t = new Date(Date.now() + 30 * DAY);
    const sent = [];
    for (let i = 0; i < 5; i++)
      sent.push(await sendNotificationMail(to, "key_expiry", { subject: `n${i}`, text: "x" }, { now: t }));
    expect(sent).toEqual([true, true, true, false, false]);
    const later = new Date(t.getTime() + 3_600_001);
    expect(await sendNotificationMail(to, "key_expiry", { subject: "n5", text: "x" }, { now: later })).toBe(true);
    await mailIdle();
    expect(
      mailsTo(user.email)
        .map((m) => subjectOf(m.raw))
        .sort(),
    ).toEqual(["n0", "n1", "n2", "n5"]);
  });
});
