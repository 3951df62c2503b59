// Failed sign-in records (SignInFailure rows) are pruned after 30 days; audit events, failed sign-ins included, are
// kept unless AUDIT_RETENTION_DAYS is set, then every action older than it goes.
import { describe, expect, it } from "vitest";
import { pruneSignInRecords, SIGNIN_RECORD_RETENTION_DAYS } from "@/lib/auth/retention";
import { startEventWorker } from "@/lib/webhooks/worker";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const DAY_MS = 86_400_000;
const now = new Date("2026-07-01T00:00:00Z");
const old = new Date(now.getTime() - 31 * DAY_MS);
const recent = new Date(now.getTime() - 29 * DAY_MS);

async function seed() {
  const client = db.current.client;
  await client.signInFailure.deleteMany();
  await client.auditEvent.deleteMany();
  await client.signInFailure.createMany({
    data: [
      { email: "a@example.com", createdAt: old },
      { email: "a@example.com", createdAt: recent },
    ],
  });
  await client.auditEvent.createMany({
    data: [
      { action: "auth.signin_failed", createdAt: old },
      { action: "auth.signin_locked", createdAt: old },
      { action: "auth.signin_failed", createdAt: recent },
      { action: "auth.signin", createdAt: old },
      { action: "key.created", createdAt: old },
    ],
  });
  return client;
}

describe("pruneSignInRecords", () => {
  it("deletes failed sign-in rows older than 30 days and, without an audit retention, keeps every audit event", async () => {
    expect(SIGNIN_RECORD_RETENTION_DAYS).toBe(30);
    const client = await seed();
    expect(await pruneSignInRecords(client, { now })).toEqual({ failures: 1, auditEvents: 0 });
    expect((await client.signInFailure.findMany()).map((f) => f.createdAt)).toEqual([recent]);
    expect(await client.auditEvent.count()).toBe(5);
  });

  it("with AUDIT_RETENTION_DAYS (30 here) deletes every audit event older than it, whatever the action", async () => {
    const client = await seed();
    expect(await pruneSignInRecords(client, { now, auditRetentionDays: 30 })).toEqual({ failures: 1, auditEvents: 4 });
    const kept = await client.auditEvent.findMany();
    expect(kept.map((e) => [e.action, e.createdAt])).toEqual([["auth.signin_failed", recent]]);
  });

  it("runs on the event worker's first scan (stop() waits for that scan)", async () => {
    const client = await seed();
    const worker = startEventWorker({ now: () => now, pollMs: 60_000, scanMs: 60_000 });
    await worker.stop();
    expect((await client.signInFailure.findMany()).map((f) => f.createdAt)).toEqual([recent]);
  });
});
