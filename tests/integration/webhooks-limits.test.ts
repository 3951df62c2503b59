// Webhook limits: at most 20 endpoints per organization (a 400 invalid_request naming the limit, over REST and from the
// dashboard action alike, also under concurrent creations), and an endpoint failing for 5 days is disabled with a
// notification: a `webhook.disabled` event (the bell, the organization's other endpoints) and a mail to its owners
// and admins (a real SMTP server started here).
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { getNotifications } from "@/lib/events/notifications";
import { mailIdle } from "@/lib/mail";
import { findMembership } from "@/lib/orgs/organizations";
import { runDueDeliveries } from "@/lib/webhooks/deliver";
import { createWebhook, sendTestEvent } from "@/lib/webhooks/endpoints";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser, makeKey } from "../helpers/keys";
import { createMemberAccount, createTeam, seedTeam, signInAs } from "../helpers/org-team";
import { startReceiver } from "../helpers/receiver";
import { startMailInbox } from "../helpers/smtp";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const mailServer = await startMailInbox({ unfold: true });
vi.stubEnv("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");

const { createWebhookAction } = await import("@/lib/actions/webhooks");

withTestDb();

const closers: (() => Promise<void>)[] = [mailServer.close];
afterAll(async () => {
  for (const close of closers) await close();
});

const meta = { ip: null };
const DAY = 86_400_000;

async function fill(organizationId: string, userId: string, count: number) {
  for (let i = 0; i < count; i++)
    await createWebhook(
      { organizationId, userId, role: "owner" },
      { url: `http://127.0.0.1:9/hook-${i}`, events: ["key.created"] },
      meta,
    );
}

describe("endpoints per organization", () => {
  it("refuses the 21st over REST with a 400 naming the limit; deleting one makes room", async () => {
    const user = await createUser("cap");
    const admin = await makeKey(user.id, ["admin"]);
    await fill(user.organization.id, user.id, 20);
    const post = () =>
      api(
        apiRequest("/api/v1/webhooks", {
          method: "POST",
          key: admin.secret,
          body: { url: "http://127.0.0.1:9/one-more", events: ["key.created"] },
        }),
      );

    const refused = await post();
    expect(refused.status).toBe(400);
    const { error } = await refused.json();
    expect(error.code).toBe("invalid_request");
    expect(error.message).toMatch(/at most 20 webhook endpoints/);
    expect(await db.webhookEndpoint.count({ where: { organizationId: user.organization.id } })).toBe(20);

    const first = await db.webhookEndpoint.findFirstOrThrow({ where: { organizationId: user.organization.id } });
    const deleted = await api(apiRequest(`/api/v1/webhooks/${first.id}`, { method: "DELETE", key: admin.secret }));
    expect(deleted.status).toBe(200);
    expect((await post()).status).toBe(201);
  });

  it("refuses the 21st from the dashboard action with the same message", async () => {
    const owner = await createMemberAccount("cap-owner");
    const org = await createTeam(owner.id);
    await signInAs(owner.id);
    await fill(org.id, owner.id, 20);
    const result = await createWebhookAction({ org: org.slug, url: "http://127.0.0.1:9/x", events: ["key.created"] });
    expect(result).toMatchObject({ ok: false, code: "invalid_request" });
    expect(!result.ok && result.message).toMatch(/at most 20 webhook endpoints/);
    expect(await db.webhookEndpoint.count({ where: { organizationId: org.id } })).toBe(20);
  });

  it("holds under concurrent creations", async () => {
    const user = await createUser("race");
    await fill(user.organization.id, user.id, 17);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        createWebhook(
          { organizationId: user.organization.id, userId: user.id, role: "owner" as const },
          { url: `http://127.0.0.1:9/race-${i}`, events: ["key.created"] },
          meta,
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(3);
    expect(await db.webhookEndpoint.count({ where: { organizationId: user.organization.id } })).toBe(20);
  });
});

describe("an endpoint failing for 5 days", () => {
  it("is disabled with a webhook.disabled event, in the bell, to the other endpoints and by mail to admins", async () => {
    const failing = await startReceiver((_req, _n, res) => {
      res.statusCode = 503;
      res.end("down");
    });
    const watcher = await startReceiver();
    closers.push(failing.close, watcher.close);
    const { org, owner, admin, dev } = await seedTeam(
      createMemberAccount,
      { admin: "admin", dev: "developer" },
      "five-",
    );
    const actor = { organizationId: org.id, userId: owner.id, role: "owner" as const };
    const { webhook: dead } = await createWebhook(
      actor,
      { url: failing.url, events: ["key.created", "webhook.disabled"] },
      meta,
    );
    const { webhook: other } = await createWebhook(actor, { url: watcher.url, events: ["webhook.disabled"] }, meta);

    const start = new Date(Date.now() + 1000);
    let clock = start;
    const now = () => clock;
    await sendTestEvent(org.id, dead.id);
    expect(await runDueDeliveries({ now })).toBe(1);
    // Its retries: failing for 5 days less a minute, still enabled.
    clock = new Date(start.getTime() + 5 * DAY - 60_000);
    expect(await runDueDeliveries({ now })).toBe(1);
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: dead.id } })).toMatchObject({
      enabled: true,
      failingSince: start,
    });
    expect(await db.event.count({ where: { organizationId: org.id, type: "webhook.disabled" } })).toBe(0);

    // The next retry (30 s later) fails past 5 days: disabled.
    clock = new Date(start.getTime() + 5 * DAY);
    await runDueDeliveries({ now });
    const endpoint = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: dead.id } });
    expect(endpoint).toMatchObject({ enabled: false, disabledAt: clock });
    expect(endpoint.disabledReason).toMatch(/5 days/);

    // One event, sent to the other endpoint and not to the disabled one.
    const events = await db.event.findMany({ where: { organizationId: org.id, type: "webhook.disabled" } });
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ webhook: { id: dead.id, url: failing.url, enabled: false } });
    await runDueDeliveries({ now });
    expect(watcher.received.map((r) => JSON.parse(r.body).type)).toEqual(["webhook.disabled"]);
    expect(JSON.parse(watcher.received[0].body).data.webhook.id).toBe(dead.id);
    expect(failing.received.map((r) => JSON.parse(r.body).type)).not.toContain("webhook.disabled");
    expect(await db.webhookDelivery.count({ where: { endpointId: other.id, status: "succeeded" } })).toBe(1);

    // In every member's notification bell.
    const devBell = await getNotifications((await findMembership(dev.id, org.slug))!);
    expect(devBell.events[0]).toMatchObject({ type: "webhook.disabled", unread: true });
    expect(devBell.events[0].text).toContain(failing.url);
    expect(devBell.events[0].text).toMatch(/5 days/);

    // And by mail to the owner and the admin, not the developer.
    await mailIdle();
    const mails = mailServer.inbox.filter((m) => m.raw.includes(failing.url));
    expect(mails.map((m) => m.to).sort()).toEqual([admin.email, owner.email].sort());
    expect(mails[0].raw).toMatch(/disabled a webhook endpoint/);
    expect(mails[0].raw).toContain(`/dashboard/${org.slug}/webhooks`);
  });
});
