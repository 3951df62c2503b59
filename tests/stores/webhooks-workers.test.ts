// Two worker processes on one PostgreSQL database deliver each queued attempt exactly once, one at a time per endpoint
// (claims serialised by an advisory lock), and a worker process killed in the middle of an attempt loses nothing: once its claim lapses another
// process delivers it. Runs in `npm run test:pg` (PostgreSQL only: PGlite is one process's database).
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { recordEvent } from "@/lib/events/emit";
import { CLAIM_MS } from "@/lib/webhooks/deliver";
import { createWebhook } from "@/lib/webhooks/endpoints";
import { withTestDb } from "../helpers/db";
import { createUser } from "../helpers/keys";
import { startReceiver } from "../helpers/receiver";
import { keyEventData } from "../helpers/events";

process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";
const testDb = withTestDb();
const { KEYHOLD_TEST_DB } = env();
const EVENTS = 40;

type Worker = { child: ChildProcess; lines: string[]; next: () => Promise<string> };

function startWorker(url: string, clockShiftMs = 0): Worker {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "tests/fixtures/webhook-worker-child.ts", url, String(clockShiftMs)],
    {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" },
    },
  );
  const lines: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else lines.push(line);
  });
  return {
    child,
    lines,
    next: () =>
      new Promise<string>((resolve, reject) => {
        const queued = lines.shift();
        if (queued !== undefined) return resolve(queued);
        waiters.push(resolve);
        child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
      }),
  };
}

// A new account whose personal organization has a webhook endpoint for key.created at `url`.
async function userWebhook(tag: string, url: string) {
  const user = await createUser(tag);
  const actor = { organizationId: user.organization.id, userId: user.id, role: "owner" as const };
  const { webhook } = await createWebhook(actor, { url, events: ["key.created"] }, { ip: null });
  return { user, webhook };
}

describe.skipIf(KEYHOLD_TEST_DB !== "postgres")("two webhook workers on one PostgreSQL database", () => {
  const workers: Worker[] = [];
  afterAll(() => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGTERM");
  });

  it("deliver each attempt once, one at a time per endpoint", async () => {
    let open = 0;
    let maxOpen = 0;
    const rx = await startReceiver((_req, _n, res) => {
      maxOpen = Math.max(maxOpen, ++open);
      setTimeout(() => {
        open--;
        res.end("ok");
      }, 10);
    });
    try {
      const { user, webhook } = await userWebhook("workers", rx.url);
      for (let i = 0; i < EVENTS; i++)
        await db.$transaction((tx) =>
          recordEvent(tx, { organizationId: user.organization.id, type: "key.created", data: keyEventData(i) }),
        );
      workers.push(startWorker(testDb.current.url!), startWorker(testDb.current.url!));
      for (const w of workers) expect(await w.next()).toBe("ready");
      for (const w of workers) w.child.stdin!.write("go\n");
      const counts = await Promise.all(
        workers.map(async (w) => (JSON.parse(await w.next()) as { attempted: number }).attempted),
      );

      expect(counts.reduce((a, b) => a + b, 0)).toBe(EVENTS);
      expect(rx.received).toHaveLength(EVENTS);
      expect(new Set(rx.received.map((r) => r.headers["webhook-id"])).size).toBe(EVENTS);
      expect(await db.webhookAttempt.count({ where: { delivery: { endpointId: webhook.id } } })).toBe(EVENTS);
      expect(await db.webhookDelivery.count({ where: { endpointId: webhook.id, status: "succeeded" } })).toBe(EVENTS);
      // Two processes, batches of two each, and still never two attempts at once to one endpoint.
      expect(maxOpen).toBe(1);
    } finally {
      await rx.close();
    }
  }, 120_000);

  it("lose nothing when one is killed mid-attempt: another delivers once the claim lapses", async () => {
    let hung = () => {};
    const reached = new Promise<void>((resolve) => (hung = resolve));
    // The first request never gets an answer (its worker dies waiting); later ones are answered.
    const rx = await startReceiver((_req, n, res) => {
      if (n === 1) hung();
      else res.end("ok");
    });
    try {
      const { user, webhook } = await userWebhook("crash", rx.url);
      await db.$transaction((tx) =>
        recordEvent(tx, { organizationId: user.organization.id, type: "key.created", data: keyEventData(1) }),
      );
      const doomed = startWorker(testDb.current.url!);
      workers.push(doomed);
      expect(await doomed.next()).toBe("ready");
      doomed.child.stdin!.write("go\n");
      await reached;
      const exited = new Promise((resolve) => doomed.child.once("exit", resolve));
      doomed.child.kill("SIGKILL");
      await exited;
      const [delivery] = await db.webhookDelivery.findMany({ where: { endpointId: webhook.id } });
      expect(delivery).toMatchObject({ status: "pending", attempts: 0 });
      expect(delivery.lockedUntil).not.toBeNull();

      // A process started after the claim lapsed (its clock moved past it) picks the delivery up.
      const heir = startWorker(testDb.current.url!, CLAIM_MS + 1000);
      workers.push(heir);
      expect(await heir.next()).toBe("ready");
      heir.child.stdin!.write("go\n");
      expect(JSON.parse(await heir.next())).toEqual({ attempted: 1 });
      const after = await db.webhookDelivery.findUniqueOrThrow({
        where: { id: delivery.id },
        include: { attemptLog: true },
      });
      expect(after).toMatchObject({ status: "succeeded", attempts: 1 });
      expect(after.attemptLog.map((a) => a.statusCode)).toEqual([200]);
      // The receiver saw the message twice (the first connection died with its sender), both with one webhook-id to
      // deduplicate by.
      expect(rx.received).toHaveLength(2);
      expect(new Set(rx.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    } finally {
      await rx.close();
    }
  }, 120_000);
});
