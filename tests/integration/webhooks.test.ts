// Webhooks end to end against real local receivers: every event type arrives signed so that `standardwebhooks`
// verifies it; failures are retried on the schedule (injected clock) and logged; a crashed worker's claim lapses and
// another picks the delivery up; SSRF targets are refused and redirects are not followed.
process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";

import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { db } from "@/lib/db";
import { emitEvent, EVENT_TYPES } from "@/lib/events/emit";
import { flushRateLimitEvents, noteRateLimited } from "@/lib/events/ratelimit";
import { runScheduledScan } from "@/lib/events/scan";
import { keyRecordSelect, toKeyObject } from "@/lib/keys/record";
import { revokeKey, rotateKey, updateKey } from "@/lib/keys/service";
import { acceptInvitation, createInvitation } from "@/lib/orgs/invitations";
import { approveKeyRequest, createKeyRequest, denyKeyRequest } from "@/lib/orgs/key-requests";
import { removeMember } from "@/lib/orgs/members";
import { findMembership } from "@/lib/orgs/organizations";
import { attemptDelivery, claimDueDeliveries, CLAIM_MS, runDueDeliveries } from "@/lib/webhooks/deliver";
import {
  countAutoDisabledWebhooks,
  createWebhook,
  listDeliveries,
  retryDelivery,
  sendTestEvent,
} from "@/lib/webhooks/endpoints";
import { sealWebhookSecret } from "@/lib/webhooks/secret";
import { startEventWorker } from "@/lib/webhooks/worker";
import { withTestDb } from "../helpers/db";
import { createUser, keyInput, keyRequestInput, makeKey } from "../helpers/keys";
import { createTeam } from "../helpers/org-team";
import { startReceiver } from "../helpers/receiver";
import { keyEventData } from "../helpers/events";

withTestDb();

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  closers.push(r.close);
  return r;
}

const meta = { ip: null };

// Deliveries left pending by an earlier test (its clock moved on) would be attempted by this one's runs.
async function quiesce() {
  await db.webhookDelivery.updateMany({
    where: { status: "pending" },
    data: { status: "failed", nextAttemptAt: null },
  });
}

// A team organization whose owner (tagged `tag`) added a webhook endpoint for key.created at `url`.
async function teamWebhook(tag: string, url: string) {
  const owner = await createUser(tag);
  const org = await createTeam(owner.id);
  const actor = { organizationId: org.id, userId: owner.id, role: "owner" as const };
  const { webhook } = await createWebhook(actor, { url, events: ["key.created"] }, meta);
  return { org, webhook };
}

describe("webhook deliveries", () => {
  it("delivers every event type to a real receiver, signed so that standardwebhooks verifies it", async () => {
    const rx = await receiver();
    const owner = await createUser("owner");
    const dev = await createUser("dev");
    const org = await createTeam(owner.id, [{ userId: dev.id, role: "developer" }]);
    const actor = { organizationId: org.id, userId: owner.id, role: "owner" as const };
    const { secret } = await createWebhook(actor, { url: rx.url, events: [...EVENT_TYPES] }, meta);
    expect(secret).toMatch(/^whsec_/);

    // Keys: created, updated, rotated, revoked.
    const { createKey } = await import("@/lib/keys/service");
    const made = await createKey(actor, keyInput({ name: "k1" }), meta);
    await updateKey(actor, made.key.id, { name: "k1-renamed" }, meta);
    await rotateKey(actor, made.key.id, 0, meta);
    await revokeKey(actor, made.key.id, meta);

    // Key requests: created, approved, denied.
    const devMember = (await findMembership(dev.id, org.slug))!;
    const ownerMember = (await findMembership(owner.id, org.slug))!;
    const request = (name: string) => createKeyRequest(devMember, keyRequestInput({ name }), meta);
    await approveKeyRequest(ownerMember, (await request("r1")).id, meta);
    await denyKeyRequest(ownerMember, (await request("r2")).id, "no", meta);

    // Members: invited, joined, removed.
    const invitee = await createUser("invitee");
    const { url } = await createInvitation(ownerMember, { email: invitee.email, role: "viewer" }, meta);
    await acceptInvitation({ id: invitee.id, email: invitee.email }, url.split("/invite/")[1], meta);
    await removeMember(ownerMember, invitee.id, meta);

    // Scheduled: expiring, expired, credits.low.
    const now = new Date();
    const soon = await createKey(
      actor,
      {
        name: "soon",
        environment: "test",
        scopes: ["read"],
        expiresAt: new Date(now.getTime() + 3 * 86_400_000),
        ipAllowlist: [],
        rateLimit: null,
        credits: { remaining: 1, refill: null },
      },
      meta,
    );
    await db.apiKey.update({ where: { id: soon.key.id }, data: { creditsBase: 10 } });
    const gone = await createKey(
      actor,
      {
        name: "gone",
        environment: "test",
        scopes: ["read"],
        expiresAt: new Date(now.getTime() + 60_000),
        ipAllowlist: [],
        rateLimit: null,
        credits: null,
      },
      meta,
    );
    await runScheduledScan(new Date(now.getTime() + 120_000));
    expect(gone.key.id).toBeTruthy();

    // Leaks (emitted by the leaks module) and rate limits.
    await db.$transaction((tx) =>
      emitEvent(tx, {
        organizationId: org.id,
        type: "key.leaked",
        data: { key: soon.key, source: "report", url: null, action: "notified" },
      }),
    );
    // Emitted by the delivery queue when it disables an endpoint (tests/integration/webhooks-fairness.test.ts).
    await db.$transaction((tx) =>
      emitEvent(tx, {
        organizationId: org.id,
        type: "webhook.disabled",
        data: {
          webhook: {
            id: "wh_other",
            url: "https://elsewhere.example/hook",
            description: "",
            events: ["key.created"],
            enabled: false,
            failingSince: now.toISOString(),
            disabledAt: now.toISOString(),
            disabledReason: "Every delivery failed for 5 days",
            createdAt: now.toISOString(),
          },
        },
      }),
    );
    const record = await db.apiKey.findUniqueOrThrow({ where: { id: soon.key.id }, select: keyRecordSelect });
    noteRateLimited(record, 60);
    noteRateLimited(record, 60);
    await flushRateLimitEvents();

    // The scan ran with a clock 2 minutes ahead, so its events are due then (within the receiver's 5-minute tolerance).
    expect(await runDueDeliveries({ now: () => new Date(Date.now() + 120_000) })).toBeGreaterThanOrEqual(
      EVENT_TYPES.length,
    );
    const verifier = new Webhook(secret);
    const types = rx.received.map((r) => {
      const payload = verifier.verify(r.body, r.headers as Record<string, string>) as {
        type: string;
        timestamp: string;
        data: object;
      };
      expect(Object.keys(payload).sort()).toEqual(["data", "timestamp", "type"]);
      expect(r.body).not.toMatch(/kh_(live|test)_[0-9A-Za-z]{38}/);
      return payload.type;
    });
    expect([...new Set(types)].sort()).toEqual([...EVENT_TYPES].sort());
    // ratelimit.exceeded once for the hour, whatever the number of refusals.
    expect(types.filter((t) => t === "ratelimit.exceeded")).toHaveLength(1);
    // A tampered body fails verification.
    const first = rx.received[0];
    expect(() => verifier.verify(first.body + " ", first.headers as Record<string, string>)).toThrow();
  });

  it("retries a receiver answering 500 twice on schedule, then logs three attempts", async () => {
    await quiesce();
    const rx = await receiver((_req, n, res) => {
      res.statusCode = n <= 2 ? 500 : 200;
      res.end(n <= 2 ? "down" : "ok");
    });
    const { org, webhook } = await teamWebhook("retry", rx.url);
    await sendTestEvent(org.id, webhook.id);
    const start = new Date();
    let clock = start;
    const now = () => clock;

    expect(await runDueDeliveries({ now })).toBe(1);
    expect(await runDueDeliveries({ now })).toBe(0);
    clock = new Date(start.getTime() + 4_999);
    expect(await runDueDeliveries({ now })).toBe(0);
    clock = new Date(start.getTime() + 5_000);
    expect(await runDueDeliveries({ now })).toBe(1);
    clock = new Date(start.getTime() + 5_000 + 29_999);
    expect(await runDueDeliveries({ now })).toBe(0);
    clock = new Date(start.getTime() + 35_000);
    expect(await runDueDeliveries({ now })).toBe(1);
    expect(rx.received).toHaveLength(3);
    // The same message id on every attempt, so a receiver can deduplicate.
    expect(new Set(rx.received.map((r) => r.headers["webhook-id"])).size).toBe(1);

    const { data } = await listDeliveries(org.id, webhook.id);
    expect(data).toHaveLength(1);
    expect(data[0].status).toBe("succeeded");
    expect(data[0].attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(data[0].attemptLog.map((a) => a.responseExcerpt)).toEqual(["down", "down", "ok"]);
    const endpoint = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(endpoint.failingSince).toBeNull();
  });

  it("gives up after the last retry and disables an endpoint failing for 5 days", async () => {
    await quiesce();
    const rx = await receiver((_req, _n, res) => {
      res.statusCode = 503;
      res.end();
    });
    const { org, webhook } = await teamWebhook("dead", rx.url);
    await sendTestEvent(org.id, webhook.id);
    let clock = new Date();
    const now = () => clock;
    const delays = [0, 5, 30, 120, 900, 3600, 6 * 3600, 24 * 3600];
    for (const d of delays) {
      clock = new Date(clock.getTime() + d * 1000);
      expect(await runDueDeliveries({ now })).toBe(1);
    }
    const [delivery] = (await listDeliveries(org.id, webhook.id)).data;
    expect(delivery.status).toBe("failed");
    expect(delivery.attempts).toBe(8);
    // Not yet 5 days of failure (about 31 hours, then 3.3 days): still enabled.
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } })).enabled).toBe(true);
    clock = new Date(clock.getTime() + 2 * 86_400_000);
    await sendTestEvent(org.id, webhook.id);
    expect(await runDueDeliveries({ now })).toBe(1);
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } })).enabled).toBe(true);
    // That test event's retry, 2 days later (5.3 days of failure).
    clock = new Date(clock.getTime() + 2 * 86_400_000);
    expect(await runDueDeliveries({ now })).toBe(1);
    const endpoint = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.disabledReason).toMatch(/5 days/);
    // Administrators are told on every organization page.
    expect(await countAutoDisabledWebhooks(org.id)).toBe(1);
  });

  it("loses nothing across a restart: a claim of a worker that died lapses and another worker delivers", async () => {
    await quiesce();
    const rx = await receiver();
    const { org, webhook } = await teamWebhook("restart", rx.url);
    await sendTestEvent(org.id, webhook.id);
    const t0 = new Date(Date.now() + 1000);
    // The first worker claims it and dies before attempting.
    const claims = await claimDueDeliveries(t0, 10);
    expect(claims).toHaveLength(1);
    // Redelivering by hand leaves a delivery a worker holds alone.
    await retryDelivery(org.id, webhook.id, claims[0].id);
    expect((await db.webhookDelivery.findUniqueOrThrow({ where: { id: claims[0].id } })).lockedUntil).not.toBeNull();
    // While the claim holds, nobody else takes it.
    expect(await runDueDeliveries({ now: () => t0 })).toBe(0);
    const later = new Date(t0.getTime() + CLAIM_MS);
    expect(await runDueDeliveries({ now: () => later })).toBe(1);
    expect(rx.received).toHaveLength(1);
    // The dead worker, coming back with its stale claim, cannot record the attempt twice.
    expect(await attemptDelivery(claims[0])).toBeNull();
    expect(rx.received).toHaveLength(1);
  });
});

describe("the event worker", () => {
  it("delivers queued events on its own and stops when asked", async () => {
    await quiesce();
    let arrived: () => void = () => {};
    const delivered = new Promise<void>((resolve) => (arrived = resolve));
    const rx = await receiver((_req, _n, res) => {
      res.end("ok");
      arrived();
    });
    const { org, webhook } = await teamWebhook("worker", rx.url);
    const worker = startEventWorker({ pollMs: 20 });
    try {
      await sendTestEvent(org.id, webhook.id);
      await delivered;
    } finally {
      await worker.stop();
    }
    await expect.poll(async () => (await listDeliveries(org.id, webhook.id)).data[0].status).toBe("succeeded");
    expect(rx.received).toHaveLength(1);
  });
});

describe("SSRF protection", () => {
  async function endpointAt(url: string) {
    const owner = await createUser("ssrf");
    const org = await createTeam(owner.id);
    // Written directly: the create-time check is tested through the API; this is what the worker refuses on its own.
    const endpoint = await db.webhookEndpoint.create({
      data: {
        organizationId: org.id,
        url,
        events: ["key.created"],
        secretEnc: sealWebhookSecret("whsec_" + "A".repeat(32)),
      },
    });
    await sendTestEvent(org.id, endpoint.id);
    return { org, endpoint };
  }

  beforeEach(quiesce);

  it.each([
    ["loopback", (port: number) => `https://127.0.0.1:${port}/hook`],
    ["a private address", () => "https://10.0.0.7/hook"],
    ["the metadata service", () => "https://169.254.169.254/latest/meta-data"],
    ["an IPv6 metadata address", () => "https://[fd00:ec2::254]/"],
    ["plain http", (port: number) => `http://127.0.0.1:${port}/hook`],
  ])("refuses %s without connecting", async (_name, urlOf) => {
    const rx = await receiver();
    const { org, endpoint } = await endpointAt(urlOf(rx.port));
    expect(await runDueDeliveries({ allowPrivateNetworks: false })).toBe(1);
    const [delivery] = (await listDeliveries(org.id, endpoint.id)).data;
    expect(delivery.attemptLog[0].statusCode).toBeNull();
    expect(delivery.attemptLog[0].error).toMatch(/private|https/);
    expect(rx.received).toHaveLength(0);
  });

  it("refuses an https URL whose DNS answers a private address", async () => {
    const { org, endpoint } = await endpointAt("https://hooks.example.com/in");
    const resolver = async () => [{ address: "10.1.2.3", family: 4 }];
    expect(await runDueDeliveries({ allowPrivateNetworks: false, resolver })).toBe(1);
    const [delivery] = (await listDeliveries(org.id, endpoint.id)).data;
    expect(delivery.attemptLog[0].error).toMatch(/resolves to 10\.1\.2\.3/);
  });

  it("connects to the address it checked, not to a second DNS answer", async () => {
    const rx = await receiver();
    const { org, endpoint } = await endpointAt(`http://receiver.invalid:${rx.port}/hook`);
    // .invalid never resolves through the system: reaching the receiver proves the checked address was used.
    const resolver = async () => [{ address: "127.0.0.1", family: 4 }];
    expect(await runDueDeliveries({ allowPrivateNetworks: true, resolver })).toBe(1);
    expect(rx.received).toHaveLength(1);
    expect((await listDeliveries(org.id, endpoint.id)).data[0].status).toBe("succeeded");
  });

  it("does not follow a redirect (to the metadata service or anywhere): the attempt fails", async () => {
    const target = await receiver();
    const rx = await receiver((_req, _n, res) => {
      res.statusCode = 302;
      res.setHeader("location", target.url);
      res.end();
    });
    const { org, endpoint } = await endpointAt(rx.url);
    expect(await runDueDeliveries({ allowPrivateNetworks: true })).toBe(1);
    const [delivery] = (await listDeliveries(org.id, endpoint.id)).data;
    expect(delivery.status).toBe("pending");
    expect(delivery.attemptLog[0]).toMatchObject({ statusCode: 302 });
    expect(delivery.attemptLog[0].error).toMatch(/Redirect not followed/);
    expect(target.received).toHaveLength(0);
  });

  it("logs a secret that no longer decrypts as a failed attempt, not a stuck delivery", async () => {
    const rx = await receiver();
    const { org, endpoint } = await endpointAt(rx.url);
    await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { secretEnc: "v1:garbage" } });
    expect(await runDueDeliveries({ allowPrivateNetworks: true })).toBe(1);
    const [delivery] = (await listDeliveries(org.id, endpoint.id)).data;
    expect(delivery).toMatchObject({ status: "pending", attempts: 1 });
    expect(delivery.attemptLog[0].error).toMatch(/could not sign/);
    expect(rx.received).toHaveLength(0);
  });

  it("keeps at most 1 KB of the answer", async () => {
    const rx = await receiver((_req, _n, res) => res.end("x".repeat(100_000)));
    const { org, endpoint } = await endpointAt(rx.url);
    await runDueDeliveries({ allowPrivateNetworks: true });
    const [delivery] = (await listDeliveries(org.id, endpoint.id)).data;
    expect(delivery.attemptLog[0].responseExcerpt).toHaveLength(1024);
  });
});

describe("the outbox", () => {
  it("records nothing for a rolled-back change, and a dedupeKey once", async () => {
    const owner = await createUser("outbox");
    const org = await createTeam(owner.id);
    await expect(
      db.$transaction(async (tx) => {
        await emitEvent(tx, { organizationId: org.id, type: "key.created", data: keyEventData(0) });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await db.event.count({ where: { organizationId: org.id } })).toBe(0);
    for (let i = 0; i < 2; i++)
      await db.$transaction((tx) =>
        emitEvent(tx, { organizationId: org.id, type: "key.expired", data: keyEventData(0), dedupeKey: "same" }),
      );
    expect(await db.event.count({ where: { organizationId: org.id } })).toBe(1);
  });

  it("the scan is idempotent: a second run records nothing new", async () => {
    const owner = await createUser("scan");
    const key = await makeKey(owner.id, ["read"], { expiresAt: new Date(Date.now() + 2 * 3_600_000) });
    const at = new Date();
    await runScheduledScan(at);
    const first = await db.event.findMany({
      where: { type: "key.expiring", data: { path: ["key", "id"], equals: key.key.id } },
    });
    expect(first).toHaveLength(1);
    expect(first[0].data).toMatchObject({
      daysAhead: 1,
      key: toKeyObject(await db.apiKey.findUniqueOrThrow({ where: { id: key.key.id } })),
    });
    await runScheduledScan(at);
    expect(
      await db.event.count({ where: { type: "key.expiring", data: { path: ["key", "id"], equals: key.key.id } } }),
    ).toBe(1);
  });
});
