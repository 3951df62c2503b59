// Two worker processes on one PostgreSQL database deliver each queued attempt exactly once (FOR UPDATE SKIP LOCKED
// claims). Runs in `npm run test:pg` (PostgreSQL only: PGlite is one process's database).
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { recordEvent } from "@/lib/events/emit";
import { createWebhook } from "@/lib/webhooks/endpoints";
import { withTestDb } from "../helpers/db";
import { createUser } from "../helpers/keys";
import { startReceiver } from "../helpers/receiver";

process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";
const testDb = withTestDb();
const { KEYHOLD_TEST_DB } = env();
const EVENTS = 40;

type Worker = { child: ChildProcess; lines: string[]; next: () => Promise<string> };

function startWorker(url: string): Worker {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/webhook-worker-child.ts", url], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" },
  });
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

describe.skipIf(KEYHOLD_TEST_DB !== "postgres")("two webhook workers on one PostgreSQL database", () => {
  const workers: Worker[] = [];
  afterAll(() => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGTERM");
  });

  it("deliver each attempt once", async () => {
    const rx = await startReceiver((_req, _n, res) => setTimeout(() => res.end("ok"), 10));
    try {
      const user = await createUser("workers");
      const { webhook } = await createWebhook(
        { organizationId: user.organization.id, userId: user.id },
        { url: rx.url, events: ["key.created"] },
        { ip: null },
      );
      for (let i = 0; i < EVENTS; i++)
        await db.$transaction((tx) =>
          recordEvent(tx, { organizationId: user.organization.id, type: "key.created", data: { n: i } }),
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
    } finally {
      await rx.close();
    }
  }, 120_000);
});
