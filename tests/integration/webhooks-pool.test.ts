// The delivery pool against real receivers: one organization's receiver that never answers, with 100 events queued for
// it, holds one attempt (one in flight per endpoint) while another organization's delivery arrives within 2 s and the
// scheduled scan keeps running; claims take turns between organizations and cap each one's attempts in flight.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { recordEvent } from "@/lib/events/emit";
import { claimDueDeliveries, ORGANIZATION_IN_FLIGHT } from "@/lib/webhooks/deliver";
import { createWebhook } from "@/lib/webhooks/endpoints";
import { startEventWorker } from "@/lib/webhooks/worker";
import { withTestDb } from "../helpers/db";
import { createUser, makeKey } from "../helpers/keys";
import { startReceiver } from "../helpers/receiver";
import { keyEventData } from "../helpers/events";

vi.stubEnv("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
withTestDb();

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

// Earlier tests' deliveries must not be claimed by this one.
beforeEach(async () => {
  await db.webhookDelivery.updateMany({
    where: { status: "pending" },
    data: { status: "failed", nextAttemptAt: null, lockedUntil: null },
  });
});

// A receiver that reads each request and never answers; counts requests and the most open at once.
async function startHangingReceiver() {
  const open = new Set<ServerResponse>();
  const stats = { requests: 0, maxOpen: 0 };
  let firstSeen = () => {};
  const first = new Promise<void>((resolve) => (firstSeen = resolve));
  const server = createServer((req, res) => {
    stats.requests++;
    open.add(res);
    stats.maxOpen = Math.max(stats.maxOpen, open.size);
    res.on("close", () => open.delete(res));
    req.resume();
    firstSeen();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  closers.push(close);
  return { url: `http://127.0.0.1:${port}/hook`, stats, first, close };
}

// Resolves with `promise`, or rejects after `ms` naming what did not happen.
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function endpointFor(organizationId: string, userId: string, url: string, events: string[]) {
  const { webhook } = await createWebhook(
    { organizationId, userId, role: "owner" },
    { url, events: events as ["key.created"] },
    { ip: null },
  );
  return webhook;
}

// An organization whose endpoint never answers, with `queued` events waiting for it, and a worker running (the default
// 10 s attempt timeout: the hanging attempt outlasts each test); stop() ends the attempt in flight (connection reset)
// instead of waiting out its 10 s.
async function hangingOrganization(queued: number) {
  const hanging = await startHangingReceiver();
  const a = await createUser("hang");
  await endpointFor(a.organization.id, a.id, hanging.url, ["key.created"]);
  for (let i = 0; i < queued; i++)
    await db.$transaction((tx) =>
      recordEvent(tx, { organizationId: a.organization.id, type: "key.created", data: keyEventData(i) }),
    );
  const worker = startEventWorker({ pollMs: 200, scanMs: 200 });
  return {
    stats: hanging.stats,
    started: () => within(hanging.first, 10_000, "the first attempt to the hanging receiver"),
    async stop() {
      const stopped = worker.stop();
      await hanging.close();
      await stopped;
    },
  };
}

describe("the delivery pool, while one organization's receiver never answers", () => {
  it("delivers another organization's event within 2 s with 100 events queued for the hanging one", async () => {
    let deliveredAt = 0;
    let arrived = () => {};
    const healthyDelivery = new Promise<void>((resolve) => (arrived = resolve));
    const healthy = await startReceiver((_req, _n, res) => {
      deliveredAt = performance.now();
      res.end("ok");
      arrived();
    });
    closers.push(healthy.close);
    const b = await createUser("healthy");
    await endpointFor(b.organization.id, b.id, healthy.url, ["key.revoked"]);

    const hanging = await hangingOrganization(100);
    try {
      await hanging.started();
      const queuedAt = performance.now();
      await db.$transaction((tx) =>
        recordEvent(tx, { organizationId: b.organization.id, type: "key.revoked", data: keyEventData(1) }),
      );
      await within(healthyDelivery, 15_000, "the healthy organization's delivery");
      expect(deliveredAt - queuedAt).toBeLessThan(2_000);
      expect(healthy.received).toHaveLength(1);
    } finally {
      await hanging.stop();
    }
  }, 60_000);

  it("keeps one attempt in flight for that endpoint: the other queued events wait their turn", async () => {
    const hanging = await hangingOrganization(30);
    try {
      await hanging.started();
      // Long enough for a worker that sends a batch at once to have sent it (they go out together).
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(hanging.stats.maxOpen).toBe(1);
      expect(hanging.stats.requests).toBe(1);
    } finally {
      await hanging.stop();
    }
  }, 60_000);

  it("runs the scheduled scan on its own timer meanwhile", async () => {
    const c = await createUser("scanned");
    const hanging = await hangingOrganization(30);
    try {
      await hanging.started();
      const expiring = await makeKey(c.id, ["read"], { expiresAt: new Date(Date.now() + 2 * 3_600_000) });
      await expect
        .poll(
          () =>
            db.event.count({
              where: { type: "key.expiring", data: { path: ["key", "id"], equals: expiring.key.id } },
            }),
          { timeout: 8_000, interval: 100 },
        )
        .toBe(1);
    } finally {
      await hanging.stop();
    }
  }, 60_000);
});

describe("claims", () => {
  it("take turns between organizations, one per endpoint, at most a few in flight per organization", async () => {
    const a = await createUser("busy");
    const b = await createUser("quiet");
    const busy = [];
    for (let i = 0; i < 6; i++)
      busy.push(await endpointFor(a.organization.id, a.id, `http://127.0.0.1:9/busy-${i}`, ["key.created"]));
    const quiet = await endpointFor(b.organization.id, b.id, "http://127.0.0.1:9/quiet", ["key.created"]);
    const t = Date.now();
    // Organization a's 12 deliveries are older than b's one.
    for (let i = 0; i < 12; i++)
      await db.$transaction((tx) =>
        recordEvent(
          tx,
          { organizationId: a.organization.id, type: "key.created", data: keyEventData(i) },
          { at: new Date(t - 60_000 + i) },
        ),
      );
    await db.$transaction((tx) =>
      recordEvent(
        tx,
        { organizationId: b.organization.id, type: "key.created", data: keyEventData(0) },
        { at: new Date(t) },
      ),
    );
    const endpointOf = async (ids: string[]) =>
      (await db.webhookDelivery.findMany({ where: { id: { in: ids } }, select: { endpointId: true } })).map(
        (d) => d.endpointId,
      );

    const now = new Date(t + 1000);
    const first = await endpointOf((await claimDueDeliveries(now, 3)).map((c) => c.id));
    expect(first).toHaveLength(3);
    expect(first).toContain(quiet.id);
    expect(new Set(first).size).toBe(3);

    const second = await endpointOf((await claimDueDeliveries(now, 100)).map((c) => c.id));
    const claimedForA = [...first, ...second].filter((id) => id !== quiet.id);
    expect(claimedForA).toHaveLength(ORGANIZATION_IN_FLIGHT);
    expect(new Set(claimedForA).size).toBe(ORGANIZATION_IN_FLIGHT);
    expect(busy.map((e) => e.id)).toEqual(expect.arrayContaining(claimedForA));
    // Every endpoint of b is busy and a has its share in flight: nothing more until an attempt ends.
    expect(await claimDueDeliveries(now, 100)).toEqual([]);
  });
});
