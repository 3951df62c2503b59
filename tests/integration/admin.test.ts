import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { changePlan, listAccounts, setAccountSuspended } from "@/lib/admin/accounts";
import { createAccount } from "@/lib/auth/accounts";
import { writeUsageBatch } from "@/lib/usage/writer";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const password = "a long enough password";
const signUp = (email: string) => createAccount({ email, password, confirmPassword: password }, null);

describe("admin accounts", () => {
  it("lists every account with plan, keys, requests in the last 24 hours (rollups), MFA and status", async () => {
    const admin = await signUp("admin@example.com");
    const user = await signUp("user@example.com");
    await db.current.client.user.update({ where: { id: user.id }, data: { mfaEnabledAt: new Date() } });
    const key = await db.current.client.apiKey.create({
      data: {
        userId: user.id,
        name: "k",
        activeName: "k",
        prefix: "kh_live_abcd",
        hash: "h1",
        environment: "live",
        scopes: ["read"],
      },
    });
    const now = new Date("2026-06-01T12:30:00Z");
    const event = (ts: string) => ({
      keyId: key.id,
      userId: user.id,
      ts: new Date(ts),
      route: "/x",
      method: "GET",
      status: 200,
      outcome: "valid" as const,
      ip: null,
      latencyMs: 1,
    });
    await writeUsageBatch(db.current.client, [
      event("2026-06-01T12:00:00Z"),
      event("2026-05-31T13:00:00Z"),
      event("2026-05-30T12:00:00Z"),
    ]);
    const rows = await listAccounts(admin, now);
    expect(rows.map((r) => [r.email, r.role, r.plan, r.keys, r.requests24h, r.mfaEnabled, r.suspendedAt])).toEqual([
      ["user@example.com", "USER", "FREE", 1, 2, true, null],
      ["admin@example.com", "ADMIN", "FREE", 0, 0, false, null],
    ]);
  });

  it("changes a plan and audits it; a no-op change records nothing", async () => {
    const admin = await db.current.client.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const user = await db.current.client.user.findUniqueOrThrow({ where: { email: "user@example.com" } });
    expect(await changePlan(admin, { userId: user.id, plan: "PRO" }, "10.0.0.1")).toBe("PRO");
    expect(await changePlan(admin, { userId: user.id, plan: "PRO" }, "10.0.0.1")).toBe("PRO");
    expect((await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } })).plan).toBe("PRO");
    const audit = await db.current.client.auditEvent.findMany({ where: { action: "admin.plan_changed" } });
    expect(audit.map((a) => [a.userId, a.actorId, a.ip, a.metadata])).toEqual([
      [user.id, admin.id, "10.0.0.1", { from: "FREE", to: "PRO", keyLimitsLowered: 0 }],
    ]);
    await expect(changePlan(admin, { userId: user.id, plan: "GOLD" }, null)).rejects.toThrow();
    await expect(changePlan(admin, { userId: "nope", plan: "PRO" }, null)).rejects.toMatchObject({ code: "not_found" });
  });

  it("suspends and restores an account, audited; an admin cannot suspend themselves", async () => {
    const admin = await db.current.client.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const user = await db.current.client.user.findUniqueOrThrow({ where: { email: "user@example.com" } });
    const at = new Date("2026-06-02T00:00:00Z");
    expect(await setAccountSuspended(admin, { userId: user.id, suspended: true }, null, at)).toEqual(at);
    expect((await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } })).suspendedAt).toEqual(at);
    expect(await setAccountSuspended(admin, { userId: user.id, suspended: false }, null)).toBeNull();
    expect((await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } })).suspendedAt).toBeNull();
    const actions = await db.current.client.auditEvent.findMany({
      where: { userId: user.id, action: { startsWith: "admin.account" } },
      orderBy: { createdAt: "asc" },
    });
    expect(actions.map((a) => [a.action, a.actorId])).toEqual([
      ["admin.account_suspended", admin.id],
      ["admin.account_restored", admin.id],
    ]);
    await expect(setAccountSuspended(admin, { userId: admin.id, suspended: true }, null)).rejects.toMatchObject({
      code: "invalid_request",
    });
    expect((await db.current.client.user.findUniqueOrThrow({ where: { id: admin.id } })).suspendedAt).toBeNull();
  });

  it("refuses a non-admin and changes nothing", async () => {
    const admin = await db.current.client.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const user = await db.current.client.user.findUniqueOrThrow({ where: { email: "user@example.com" } });
    const before = await db.current.client.auditEvent.count();
    await expect(changePlan(user, { userId: user.id, plan: "ENTERPRISE" }, null)).rejects.toBeInstanceOf(ApiError);
    await expect(setAccountSuspended(user, { userId: admin.id, suspended: true }, null)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(listAccounts(user)).rejects.toMatchObject({ code: "forbidden" });
    expect((await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } })).plan).toBe("PRO");
    expect((await db.current.client.user.findUniqueOrThrow({ where: { id: admin.id } })).suspendedAt).toBeNull();
    expect(await db.current.client.auditEvent.count()).toBe(before);
  });
});
