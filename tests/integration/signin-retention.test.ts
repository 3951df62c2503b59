// Failed sign-in records (SignInFailure rows, auth.signin_failed and auth.signin_locked audit events) are pruned after
// 30 days; everything else stays.
import { describe, expect, it } from "vitest";
import { pruneSignInRecords, SIGNIN_RECORD_RETENTION_DAYS } from "@/lib/auth/retention";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const DAY_MS = 86_400_000;

describe("pruneSignInRecords", () => {
  it("deletes failed sign-in rows and audit events older than 30 days, keeps newer ones and other audit events", async () => {
    expect(SIGNIN_RECORD_RETENTION_DAYS).toBe(30);
    const now = new Date("2026-07-01T00:00:00Z");
    const old = new Date(now.getTime() - 31 * DAY_MS);
    const recent = new Date(now.getTime() - 29 * DAY_MS);
    const client = db.current.client;
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
    expect(await pruneSignInRecords(client, { now })).toEqual({ failures: 1, auditEvents: 2 });
    expect((await client.signInFailure.findMany()).map((f) => f.createdAt)).toEqual([recent]);
    const kept = await client.auditEvent.findMany({ orderBy: { action: "asc" } });
    expect(kept.map((e) => [e.action, e.createdAt])).toEqual([
      ["auth.signin", old],
      ["auth.signin_failed", recent],
      ["key.created", old],
    ]);
  });
});
