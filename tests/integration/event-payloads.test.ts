// Every event type, emitted by the real services (keys, leaks, scan, rate limits, key requests, invitations, members,
// the delivery queue, the audit stream, "send test event"), is delivered as a body its payload schema accepts
// (tests/unit/event-payloads.test.ts: the schemas themselves and the OpenAPI webhooks section).
process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";

import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { WEBHOOK_EVENT_TYPES, webhookEventSchema, type WebhookEventType } from "@/lib/events/payloads";
import { flushRateLimitEvents, noteRateLimited } from "@/lib/events/ratelimit";
import { runScheduledScan } from "@/lib/events/scan";
import { keyRecordSelect } from "@/lib/keys/record";
import { createKey, revokeKey, rotateKey, updateKey } from "@/lib/keys/service";
import { handleLeak } from "@/lib/leaks/service";
import { acceptInvitation, createInvitation } from "@/lib/orgs/invitations";
import { approveKeyRequest, createKeyRequest, denyKeyRequest } from "@/lib/orgs/key-requests";
import { leaveOrganization, removeMember } from "@/lib/orgs/members";
import { findMembership } from "@/lib/orgs/organizations";
import { eventPayload, runDueDeliveries } from "@/lib/webhooks/deliver";
import { createWebhook, sendTestEvent } from "@/lib/webhooks/endpoints";
import { withTestDb } from "../helpers/db";
import { createUser } from "../helpers/keys";
import { createTeam } from "../helpers/org-team";

withTestDb();

const meta = { ip: null };
const DAY_MS = 86_400_000;
// What every key of the test starts from (each adds a name and credits).
function newKey() {
  return { environment: "test" as const, scopes: ["read" as const], expiresAt: null, ipAllowlist: [], rateLimit: null };
}

describe("event payload schemas", () => {
  it("accept what every emitter sends, as delivered", async () => {
    const owner = await createUser("owner");
    const dev = await createUser("dev");
    const org = await createTeam(owner.id, [{ userId: dev.id, role: "developer" }]);
    const actor = { organizationId: org.id, userId: owner.id, role: "owner" as const };
    const ownerMember = (await findMembership(owner.id, org.slug))!;
    const devMember = (await findMembership(dev.id, org.slug))!;
    // Nothing listens on port 1: every delivery to it fails at once (audit.event needs a subscriber to be recorded).
    const { webhook } = await createWebhook(actor, { url: "http://127.0.0.1:1/hook", events: ["audit.event"] }, meta);

    // key.created, updated (every field), rotated, revoked.
    const made = await createKey(actor, { ...newKey(), name: "k1", credits: null }, meta);
    await updateKey(
      actor,
      made.key.id,
      {
        name: "k1-renamed",
        scopes: ["read", "write"],
        permissions: [],
        expiresAt: new Date(Date.now() + 30 * DAY_MS),
        ipAllowlist: [{ value: "10.0.0.0/24", note: "office" }],
        rateLimit: 30,
        credits: { remaining: 5, refill: { amount: 5, interval: "day" } },
      },
      meta,
    );
    await rotateKey(actor, made.key.id, 3600, meta);
    await revokeKey(actor, made.key.id, meta);

    // key.leaked (the default leak response revokes) and ratelimit.exceeded.
    const leaked = await createKey(actor, { ...newKey(), name: "leaked", credits: null }, meta);
    expect(await handleLeak({ secret: leaked.secret, source: "github", url: "https://github.com/a/b" }, meta)).toEqual({
      label: "true_positive",
      action: "revoked",
    });
    const limited = await createKey(actor, { ...newKey(), name: "limited", rateLimit: 1, credits: null }, meta);
    noteRateLimited(await db.apiKey.findUniqueOrThrow({ where: { id: limited.key.id }, select: keyRecordSelect }), 1);
    await flushRateLimitEvents();

    // The scan: key.expiring, key.expired, credits.low.
    const now = new Date();
    await createKey(
      actor,
      {
        ...newKey(),
        name: "soon",
        expiresAt: new Date(now.getTime() + 3 * DAY_MS),
        credits: { remaining: 0, refill: null },
      },
      meta,
    );
    await createKey(
      actor,
      { ...newKey(), name: "gone", expiresAt: new Date(now.getTime() + 60_000), credits: null },
      meta,
    );
    await db.apiKey.updateMany({ where: { name: "soon" }, data: { creditsBase: 10 } });
    await runScheduledScan(new Date(now.getTime() + 120_000));

    // Key requests: created, approved, denied.
    const request = (name: string, expiresAt: Date | null) =>
      createKeyRequest(devMember, { ...newKey(), name, expiresAt, reason: "ci" }, meta);
    await approveKeyRequest(ownerMember, (await request("r1", new Date(now.getTime() + DAY_MS))).id, meta);
    await denyKeyRequest(ownerMember, (await request("r2", null)).id, "no", meta);

    // Members: invited, joined, removed, left.
    const invitee = await createUser("invitee");
    const { url } = await createInvitation(ownerMember, { email: invitee.email, role: "viewer" }, meta);
    await acceptInvitation({ id: invitee.id, email: invitee.email }, url.split("/invite/")[1], meta);
    await removeMember(ownerMember, invitee.id, meta, { revokeKeys: true });
    await leaveOrganization(devMember, meta);

    // webhook.test, then webhook.disabled: the endpoint has been failing for 6 days when its next delivery fails.
    await sendTestEvent(org.id, webhook.id);
    await db.webhookEndpoint.update({
      where: { id: webhook.id },
      data: { failingSince: new Date(now.getTime() - 6 * DAY_MS) },
    });
    await runDueDeliveries({
      now: () => new Date(now.getTime() + 120_000),
      allowPrivateNetworks: true,
      timeoutMs: 5_000,
    });
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } })).enabled).toBe(false);

    const events = await db.event.findMany({ where: { organizationId: org.id }, orderBy: { createdAt: "asc" } });
    const seen = new Set<string>();
    for (const event of events) {
      const body = JSON.parse(eventPayload(event));
      const parsed = webhookEventSchema(event.type as WebhookEventType).safeParse(body);
      expect(parsed.error?.issues, `${event.type}: ${JSON.stringify(body.data)}`).toBeUndefined();
      seen.add(event.type);
    }
    expect([...seen].sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const removed = events.filter((e) => e.type === "member.removed").map((e) => e.data as { left: boolean });
    expect(removed.map((d) => d.left).sort()).toEqual([false, true]);
  });
});
