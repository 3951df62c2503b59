// The audit.event webhook: every audit event of an organization subscribed to it reaches a real receiver exactly once,
// signed (standardwebhooks verifies it), across a worker that died holding claims and two workers running at once;
// and no secret or code (API keys, webhook secrets, invitation and reset tokens, TOTP and recovery codes) appears in
// any audit event or webhook payload of a broad run.
process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";
process.env.KEYHOLD_SERVICE_TOKEN = "service-token-for-tests-0123456789";

import { generateSync } from "otplib";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { listAuditEvents, toAuditEventObject } from "@/lib/audit";
import { issueResetLink } from "@/lib/auth/password-reset";
import { db } from "@/lib/db";
import { createKey, revokeKey, rotateKey, updateKey } from "@/lib/keys/service";
import { confirmEnrolment, startEnrolment, verifyChallenge } from "@/lib/mfa/service";
import { acceptInvitation, createInvitation } from "@/lib/orgs/invitations";
import { approveKeyRequest, createKeyRequest, denyKeyRequest, revealKeyRequest } from "@/lib/orgs/key-requests";
import { removeMember } from "@/lib/orgs/members";
import { findMembership } from "@/lib/orgs/organizations";
import { getNotifications } from "@/lib/events/notifications";
import { claimDueDeliveries, CLAIM_MS, runDueDeliveries } from "@/lib/webhooks/deliver";
import { createWebhook } from "@/lib/webhooks/endpoints";
import { withTestDb } from "../helpers/db";
import { createUser, postKey } from "../helpers/keys";
import { createTeam } from "../helpers/org-team";
import { startReceiver } from "../helpers/receiver";

withTestDb();

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const meta = { ip: "198.51.100.7" };
const keyFields = { environment: "test" as const, expiresAt: null, ipAllowlist: [], rateLimit: null, credits: null };

// A broad run through what the audit log records, collecting every secret, token and code it handed out.
async function broadRun(orgId: string, ownerId: string, devId: string, slug: string, secrets: string[]) {
  const actor = { organizationId: orgId, userId: ownerId, role: "owner" as const };
  const made = await createKey(actor, { name: "stream-1", scopes: ["admin"], ...keyFields }, meta);
  secrets.push(made.secret);
  await updateKey(actor, made.key.id, { name: "stream-1b" }, meta);
  const rotated = (await rotateKey(actor, made.key.id, 60, meta)).secret;
  secrets.push(rotated);
  // Over REST: the acting key is recorded.
  const rest = await postKey(rotated, { name: "by-rest", environment: "test", scopes: ["read"] });
  expect(rest.status).toBe(201);
  const restKey = (await rest.json()) as { key: { id: string }; secret: string };
  secrets.push(restKey.secret);
  await revokeKey(actor, restKey.key.id, meta);

  const devMember = (await findMembership(devId, slug))!;
  const ownerMember = (await findMembership(ownerId, slug))!;
  const request = (name: string) =>
    createKeyRequest(
      devMember,
      { name, environment: "test", scopes: ["read"], expiresAt: null, ipAllowlist: [], rateLimit: null, reason: "ci" },
      meta,
    );
  const approved = await request("req-ok");
  await approveKeyRequest(ownerMember, approved.id, meta);
  secrets.push((await revealKeyRequest(devMember, approved.id, meta)).secret);
  await denyKeyRequest(ownerMember, (await request("req-no")).id, "not now", meta);

  const invitee = await createUser("invitee");
  const { url } = await createInvitation(ownerMember, { email: invitee.email, role: "viewer" }, meta);
  const token = url.split("/invite/")[1];
  secrets.push(token);
  await acceptInvitation({ id: invitee.id, email: invitee.email }, token, meta);
  await removeMember(ownerMember, invitee.id, meta);
}

function leaks(text: string, secrets: string[]): string[] {
  const found = secrets.filter((s) => text.includes(s));
  for (const pattern of [/kh_(live|test)_[0-9A-Za-z]{38}/, /whsec_[0-9A-Za-z+/=]{16,}/])
    if (pattern.test(text)) found.push(pattern.source);
  return found;
}

describe("the audit.event stream", () => {
  it("delivers every audit event exactly once, signed, across a worker that died and two running at once", async () => {
    const rx = await startReceiver();
    closers.push(rx.close);
    const owner = await createUser("owner");
    const dev = await createUser("dev");
    const org = await createTeam(owner.id, [{ userId: dev.id, role: "developer" }]);
    const before = new Set(
      (await db.auditEvent.findMany({ where: { organizationId: org.id }, select: { id: true } })).map((e) => e.id),
    );
    const { secret, webhook } = await createWebhook(
      { organizationId: org.id, userId: owner.id, role: "owner" },
      { url: rx.url, events: ["audit.event"] },
      meta,
    );
    const secrets = [secret];
    await broadRun(org.id, owner.id, dev.id, org.slug, secrets);

    const expected = (
      await db.auditEvent.findMany({ where: { organizationId: org.id }, select: { id: true } })
    ).flatMap((e) => (before.has(e.id) ? [] : [e.id]));
    expect(expected.length).toBeGreaterThan(10);
    expect(await db.webhookDelivery.count({ where: { endpointId: webhook.id } })).toBe(expected.length);

    // A worker claims deliveries and dies holding them; two others run at once; after the claim lapses the rest go out.
    const t0 = new Date(Date.now() + 1000);
    const dead = await claimDueDeliveries(t0, 5);
    expect(dead.length).toBeGreaterThan(0);
    await Promise.all([runDueDeliveries({ now: () => t0 }), runDueDeliveries({ now: () => t0 })]);
    const later = () => new Date(t0.getTime() + CLAIM_MS);
    for (let round = 0; round < 100; round++) {
      const sent = await Promise.all([runDueDeliveries({ now: later }), runDueDeliveries({ now: later })]);
      if (sent[0] + sent[1] === 0) break;
    }
    expect(await db.webhookDelivery.count({ where: { endpointId: webhook.id, status: { not: "succeeded" } } })).toBe(0);

    const verifier = new Webhook(secret);
    const payloads = rx.received.map((r) => {
      expect(leaks(r.body, secrets)).toEqual([]);
      return verifier.verify(r.body, r.headers as Record<string, string>) as {
        type: string;
        data: { id: string; action: string; actor: { type: string; keyId: string | null } };
      };
    });
    expect(new Set(payloads.map((p) => p.type))).toEqual(new Set(["audit.event"]));
    const ids = payloads.map((p) => p.data.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual([...expected].sort());
    expect(new Set(rx.received.map((r) => r.headers["webhook-id"])).size).toBe(ids.length);
    // The payload is the API's event shape, acting key included.
    const restCreated = payloads.find((p) => p.data.action === "key.created" && p.data.actor.type === "key");
    expect(restCreated?.data.actor.keyId).toEqual(expect.any(String));
    const page = await listAuditEvents({ organizationId: org.id }, { action: "key.revoked" });
    expect(payloads.find((p) => p.data.id === page.data[0].id)?.data).toEqual(
      JSON.parse(JSON.stringify(toAuditEventObject(page.data[0]))),
    );
  });

  it("records nothing for organizations without a subscriber, and never shows on the notification bell", async () => {
    const owner = await createUser("quiet");
    const org = await createTeam(owner.id);
    const actor = { organizationId: org.id, userId: owner.id, role: "owner" as const };
    await createKey(actor, { name: "q", scopes: ["read"], ...keyFields }, meta);
    expect(await db.event.count({ where: { organizationId: org.id, type: "audit.event" } })).toBe(0);
    await createWebhook(actor, { url: "http://127.0.0.1:9/hook", events: ["audit.event", "key.created"] }, meta);
    await createKey(actor, { name: "q2", scopes: ["read"], ...keyFields }, meta);
    expect(await db.event.count({ where: { organizationId: org.id, type: "audit.event" } })).toBeGreaterThan(0);
    const bell = await getNotifications((await findMembership(owner.id, org.slug))!);
    expect(new Set(bell.events.map((e) => e.type))).toEqual(new Set(["key.created"]));
  });
});

describe("no secret or code in an audit event", () => {
  it("scans every audit event and event payload of a broad run, MFA and password resets included", async () => {
    const secrets: string[] = [];
    const owner = await createUser("scan");
    const dev = await createUser("scan-dev");
    const org = await createTeam(owner.id, [{ userId: dev.id, role: "developer" }]);
    const { secret } = await createWebhook(
      { organizationId: org.id, userId: owner.id, role: "owner" },
      { url: "http://127.0.0.1:9/hook", events: ["audit.event", "key.created"] },
      meta,
    );
    secrets.push(secret);
    await broadRun(org.id, owner.id, dev.id, org.slug, secrets);

    // MFA: enrolment, a wrong code, a recovery code; TOTP codes are 6 digits, matched as whole numbers below.
    const codes: string[] = [];
    const { secret: totpSecret } = await startEnrolment(owner.id);
    secrets.push(totpSecret);
    const first = generateSync({ secret: totpSecret });
    codes.push(first);
    const recovery = await confirmEnrolment(owner.id, first, { ip: meta.ip });
    secrets.push(...recovery);
    const wrong = String((Number(first) + 1) % 1_000_000).padStart(6, "0");
    codes.push(wrong);
    await expect(verifyChallenge(owner.id, { method: "totp", code: wrong }, "sign_in", meta)).rejects.toThrow();
    await verifyChallenge(owner.id, { method: "recovery", code: recovery[0] }, "sign_in", meta);
    const { url } = await issueResetLink({ id: owner.id, role: "ADMIN" }, dev.id, meta.ip);
    secrets.push(url.split("/").pop()!);

    const rows = await db.auditEvent.findMany();
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(["mfa.enabled", "mfa.code_failed", "mfa.recovery_used", "auth.password_reset_issued"]),
    );
    const events = await db.event.findMany();
    expect(events.some((e) => e.type === "audit.event")).toBe(true);
    const texts = [
      ...rows.map((r) => JSON.stringify(r)),
      ...events.map((e) => JSON.stringify(e)),
      ...(await listAuditEvents({ organizationId: org.id }, { limit: 100 })).data.map((e) =>
        JSON.stringify(toAuditEventObject(e)),
      ),
    ];
    expect(secrets.length).toBeGreaterThan(15);
    for (const text of texts) {
      expect(leaks(text, secrets), text).toEqual([]);
      for (const code of codes) expect(new RegExp(`(?<![0-9])${code}(?![0-9])`).test(text), text).toBe(false);
    }
  });
});
