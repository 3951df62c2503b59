// POST /api/v1/webhooks/{id}/test (a signed webhook.test delivery to that endpoint only, through the normal delivery
// path) and GET /api/v1/events/stream (Server-Sent Events of the organization's events: id lines, Last-Event-ID resume,
// heartbeats, the end of the stream on revocation and on the server's drain): refusals by role and key scope, another
// organization's endpoint 404, another organization's events never sent.
process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { setEventStreamTiming } from "@/lib/api/routes/events";
import { apiListener } from "@/lib/api/node-handler";
import { db } from "@/lib/db";
import { createKey, revokeKey } from "@/lib/keys/service";
import type { OrgRole } from "@/lib/orgs/roles";
import type { Scope } from "@/lib/generated/prisma/enums";
import { createDrain } from "@/lib/server/graceful-shutdown";
import { runDueDeliveries } from "@/lib/webhooks/deliver";
import { createWebhook } from "@/lib/webhooks/endpoints";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser, keyInput } from "../helpers/keys";
import { seedTeam } from "../helpers/org-team";
import { startReceiver } from "../helpers/receiver";
import { frames, type Frame } from "../helpers/sse";

withTestDb();
setEventStreamTiming({ pollMs: 50, heartbeatMs: 300 });

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

async function team() {
  return seedTeam(createUser, { admin: "admin", developer: "developer", viewer: "viewer" });
}

async function keyOf(orgId: string, userId: string, role: OrgRole, scopes: Scope[]) {
  return createKey({ organizationId: orgId, userId, role }, keyInput({ scopes }), { ip: null });
}

// A webhook endpoint for key.created at a public address literal (no DNS), added by the team's owner.
async function publicWebhook(t: Awaited<ReturnType<typeof team>>) {
  const actor = { organizationId: t.org.id, userId: t.owner.id, role: "owner" as const };
  return (await createWebhook(actor, { url: "https://93.184.215.14/h", events: ["key.created"] }, { ip: null }))
    .webhook;
}

// A key created by `member` of the team; a viewer cannot create keys, so theirs is the owner's, handed to them.
async function memberKey(t: Awaited<ReturnType<typeof team>>, member: OrgRole, scopes: Scope[]) {
  const user = { owner: t.owner, admin: t.admin, developer: t.developer, viewer: t.viewer }[member];
  if (member !== "viewer") return keyOf(t.org.id, user.id, member, scopes);
  const made = await keyOf(t.org.id, t.owner.id, "owner", scopes);
  await db.apiKey.update({ where: { id: made.key.id }, data: { createdById: user.id } });
  return made;
}

const post = (path: string, key: string) => api(apiRequest(path, { method: "POST", key }));

async function openStream(key: string, lastEventId?: string) {
  const res = await api(
    apiRequest("/api/v1/events/stream", { key, headers: lastEventId ? { "last-event-id": lastEventId } : {} }),
  );
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const stream = frames(res.body!);
  // The opening comment: the stream is live, events from here on are sent.
  expect((await stream.next())?.comment).toBe("connected");
  return stream;
}

describe("POST /api/v1/webhooks/{id}/test", () => {
  it("queues one signed webhook.test delivery to this endpoint only, delivered through the normal path", async () => {
    const rx = await startReceiver();
    closers.push(rx.close);
    const { org, owner } = await team();
    const actor = { organizationId: org.id, userId: owner.id, role: "owner" as const };
    const { webhook, secret } = await createWebhook(actor, { url: rx.url, events: ["key.revoked"] }, { ip: null });
    const other = await createWebhook(actor, { url: rx.url, events: ["key.revoked"] }, { ip: null });
    const key = await keyOf(org.id, owner.id, "owner", ["admin"]);

    const res = await post(`/api/v1/webhooks/${webhook.id}/test`, key.secret);
    expect(res.status).toBe(202);
    const { deliveryId, eventId } = await res.json();
    expect(eventId).toMatch(/^evt_/);
    const delivery = await db.webhookDelivery.findUniqueOrThrow({
      where: { id: deliveryId },
      include: { event: true },
    });
    expect(delivery).toMatchObject({ endpointId: webhook.id, status: "pending", eventId });
    expect(delivery.event.type).toBe("webhook.test");
    expect(await db.webhookDelivery.count({ where: { endpointId: other.webhook.id } })).toBe(0);

    expect(await runDueDeliveries({ allowPrivateNetworks: true })).toBeGreaterThanOrEqual(1);
    const got = rx.received.find((r) => r.headers["webhook-id"] === eventId)!;
    const event = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as { type: string };
    expect(event.type).toBe("webhook.test");
    expect((await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).status).toBe("succeeded");
  });

  it("answers 404 for another organization's endpoint or an unknown id, 409 for a disabled one", async () => {
    const mine = await team();
    const theirs = await team();
    const webhook = await publicWebhook(theirs);
    const key = await keyOf(mine.org.id, mine.owner.id, "owner", ["admin"]);
    const foreign = await post(`/api/v1/webhooks/${webhook.id}/test`, key.secret);
    expect(foreign.status).toBe(404);
    expect((await foreign.json()).error.code).toBe("not_found");
    expect((await post("/api/v1/webhooks/nope/test", key.secret)).status).toBe(404);
    expect(await db.webhookDelivery.count({ where: { endpointId: webhook.id } })).toBe(0);

    const theirKey = await keyOf(theirs.org.id, theirs.owner.id, "owner", ["admin"]);
    await db.webhookEndpoint.update({ where: { id: webhook.id }, data: { enabled: false } });
    const disabled = await post(`/api/v1/webhooks/${webhook.id}/test`, theirKey.secret);
    expect(disabled.status).toBe(409);
  });

  it("refuses by key scope (naming the admin scope) and by the creator's role", async () => {
    const t = await team();
    const webhook = await publicWebhook(t);
    const path = `/api/v1/webhooks/${webhook.id}/test`;
    const cases: [OrgRole, Scope[], number, string][] = [
      ["owner", ["read"], 403, "insufficient_scope"],
      ["owner", ["write"], 403, "insufficient_scope"],
      ["developer", ["admin"], 403, "forbidden"],
      ["viewer", ["admin"], 403, "forbidden"],
      ["admin", ["admin"], 202, ""],
      ["owner", ["admin"], 202, ""],
    ];
    for (const [role, scopes, status, code] of cases) {
      const key = await memberKey(t, role, scopes);
      const res = await post(path, key.secret);
      expect(res.status, `${role} ${scopes}`).toBe(status);
      if (code) {
        const { error } = await res.json();
        expect(error.code).toBe(code);
        if (code === "insufficient_scope") expect(error.message).toMatch(/needs a key with the admin scope/);
      }
    }
    const tests = { endpointId: webhook.id, event: { type: "webhook.test" } };
    expect(await db.webhookDelivery.count({ where: tests })).toBe(2);
  });
});

describe("GET /api/v1/events/stream", () => {
  it("sends the organization's events as they happen, with id lines, never another organization's", async () => {
    const mine = await team();
    const theirs = await team();
    const key = await keyOf(mine.org.id, mine.owner.id, "owner", ["admin"]);
    const theirKey = await keyOf(theirs.org.id, theirs.owner.id, "owner", ["admin"]);
    const stream = await openStream(key.secret);

    await keyOf(theirs.org.id, theirs.owner.id, "owner", ["read"]);
    const made = await keyOf(mine.org.id, mine.owner.id, "owner", ["read"]);
    const frame = (await stream.nextEvent())!;
    expect(frame.event).toBe("key.created");
    const stored = await db.event.findUniqueOrThrow({ where: { id: frame.id! } });
    expect(stored.organizationId).toBe(mine.org.id);
    const payload = JSON.parse(frame.data!);
    expect(payload).toMatchObject({ type: "key.created", data: { key: { id: made.key.id } } });
    expect(payload.timestamp).toBe(stored.createdAt.toISOString());
    expect(frame.data).not.toContain(made.secret);
    await stream.cancel();
    void theirKey;
  });

  it("resumes right after Last-Event-ID, in order, without repeating it", async () => {
    const t = await team();
    const key = await keyOf(t.org.id, t.owner.id, "owner", ["admin"]);
    const first = await openStream(key.secret);
    await keyOf(t.org.id, t.owner.id, "owner", ["read"]);
    const a = (await first.nextEvent())!;
    await first.cancel();

    const b = await keyOf(t.org.id, t.owner.id, "owner", ["read"]);
    const c = await keyOf(t.org.id, t.owner.id, "owner", ["read"]);
    const resumed = await openStream(key.secret, a.id);
    const got = [(await resumed.nextEvent())!, (await resumed.nextEvent())!];
    expect(got.map((f) => JSON.parse(f.data!).data.key.id)).toEqual([b.key.id, c.key.id]);
    expect(got.map((f) => f.id)).not.toContain(a.id);
    await resumed.cancel();

    // Another organization's event id resumes nothing of theirs: the stream starts now.
    const other = await team();
    const otherKey = await keyOf(other.org.id, other.owner.id, "owner", ["admin"]);
    const foreign = await openStream(otherKey.secret, a.id);
    await keyOf(other.org.id, other.owner.id, "owner", ["read"]);
    const own = (await foreign.nextEvent())!;
    expect((await db.event.findUniqueOrThrow({ where: { id: own.id! } })).organizationId).toBe(other.org.id);
    await foreign.cancel();
  });

  it("sends heartbeats while idle and ends when its key is revoked", async () => {
    const t = await team();
    const key = await keyOf(t.org.id, t.owner.id, "owner", ["admin"]);
    const stream = await openStream(key.secret);
    expect((await stream.next(3_000))?.comment).toBe("heartbeat");
    await revokeKey({ organizationId: t.org.id, userId: t.owner.id, role: "owner" }, key.key.id, { ip: null });
    let frame: Frame | null;
    do frame = await stream.next(5_000);
    while (frame && frame.event === "key.revoked");
    expect(frame?.comment).toMatch(/revoked/);
    expect(await stream.next(2_000)).toBeNull();
  });

  it("refuses by key scope and the creator's role", async () => {
    const t = await team();
    const cases: [OrgRole, Scope[], number][] = [
      ["owner", ["read"], 403],
      ["owner", ["write"], 403],
      ["developer", ["admin"], 403],
      ["viewer", ["admin"], 403],
      ["admin", ["admin"], 200],
    ];
    for (const [role, scopes, status] of cases) {
      const key = await memberKey(t, role, scopes);
      const res = await api(apiRequest("/api/v1/events/stream", { key: key.secret }));
      expect(res.status, `${role} ${scopes}`).toBe(status);
      await res.body?.cancel();
    }
    expect((await api(apiRequest("/api/v1/events/stream"))).status).toBe(401);
  });

  // Last: the drain marks this process as shutting down.
  it("ends cleanly when the server drains, long before the drain's deadline", async () => {
    const t = await team();
    const key = await keyOf(t.org.id, t.owner.id, "owner", ["admin"]);
    const server = createServer(apiListener({ beside: "nothing" }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const drain = createDrain(server, { idleGraceMs: 100 });
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${key.secret}` },
      signal: AbortSignal.timeout(20_000),
    });
    expect(res.status).toBe(200);
    const stream = frames(res.body!);
    expect((await stream.next())?.comment).toBe("connected");
    const started = Date.now();
    const drained = drain(15_000);
    let frame: Frame | null;
    do frame = await stream.next(5_000);
    while (frame && frame.comment === "heartbeat");
    expect(frame?.comment).toMatch(/shutting down: reconnect with Last-Event-ID/);
    expect(await stream.next(5_000)).toBeNull();
    expect((await drained).cut).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
