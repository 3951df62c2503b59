import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { listAccounts, setAccountSuspended } from "@/lib/admin/accounts";
import { changePlan, listOrganizations, setOrganizationSuspended } from "@/lib/admin/organizations";
import { createAccount } from "@/lib/auth/accounts";
import { writeUsageBatch } from "@/lib/usage/writer";
import { auditTrail, withTestDb } from "../helpers/db";

const db = withTestDb();
const password = "a long enough password";
const signUp = (email: string) => createAccount({ email, password, confirmPassword: password }, null);
// The personal organization of the account with this email.
const orgOf = (email: string) =>
  db.current.client.organization.findFirstOrThrow({
    where: { personal: true, memberships: { some: { user: { email } } } },
  });

// Suspends (at a set time) and restores an organization or an account as the administrator, checking its suspendedAt
// after each, and that its audit log holds admin.<kind>_suspended then admin.<kind>_restored by the administrator.
async function suspendAndRestore(
  admin: Parameters<typeof setAccountSuspended>[0] & { id: string },
  kind: "organization" | "account",
  id: string,
) {
  const client = db.current.client;
  const set = (suspended: boolean, at?: Date) =>
    kind === "organization"
      ? setOrganizationSuspended(admin, { organizationId: id, suspended }, null, at)
      : setAccountSuspended(admin, { userId: id, suspended }, null, at);
  const suspendedAt = async () =>
    kind === "organization"
      ? (await client.organization.findUniqueOrThrow({ where: { id } })).suspendedAt
      : (await client.user.findUniqueOrThrow({ where: { id } })).suspendedAt;
  const at = new Date("2026-06-02T00:00:00Z");
  expect(await set(true, at)).toEqual(at);
  expect(await suspendedAt()).toEqual(at);
  expect(await set(false)).toBeNull();
  expect(await suspendedAt()).toBeNull();
  const where = kind === "organization" ? { organizationId: id } : { userId: id };
  expect(await auditTrail(client, { ...where, action: { startsWith: `admin.${kind}` } })).toEqual([
    [`admin.${kind}_suspended`, admin.id],
    [`admin.${kind}_restored`, admin.id],
  ]);
}

describe("admin accounts and organizations", () => {
  it("lists every account (organizations, MFA, status) and every organization with plan, members, keys, requests in the last 24 hours (rollups)", async () => {
    const admin = await signUp("admin@example.com");
    const user = await signUp("user@example.com");
    await db.current.client.user.update({ where: { id: user.id }, data: { mfaEnabledAt: new Date() } });
    const key = await db.current.client.apiKey.create({
      data: {
        organizationId: user.lastOrganizationId!,
        createdById: user.id,
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
      organizationId: user.lastOrganizationId!,
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
    const rows = await listAccounts(admin);
    expect(rows.map((r) => [r.email, r.role, r.organizations, r.mfaEnabled, r.suspendedAt])).toEqual([
      ["user@example.com", "USER", 1, true, null],
      ["admin@example.com", "ADMIN", 1, false, null],
    ]);
    const orgs = await listOrganizations(admin, now);
    expect(
      orgs.map((o) => [o.slug, o.personal, o.plan, o.members, o.keys, o.requests24h, o.keyRequests24h, o.suspendedAt]),
    ).toEqual([
      ["user", true, "FREE", 1, 1, 2, 0, null],
      // "admin" is a reserved slug (it could shadow a page): the personal organization falls back to "org".
      ["org", true, "FREE", 1, 0, 0, 0, null],
    ]);
  });

  it("changes an organization's plan and audits it in that organization; a no-op change records nothing", async () => {
    const admin = await db.current.client.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const org = await orgOf("user@example.com");
    expect(await changePlan(admin, { organizationId: org.id, plan: "PRO" }, "10.0.0.1")).toBe("PRO");
    expect(await changePlan(admin, { organizationId: org.id, plan: "PRO" }, "10.0.0.1")).toBe("PRO");
    expect((await db.current.client.organization.findUniqueOrThrow({ where: { id: org.id } })).plan).toBe("PRO");
    const audit = await db.current.client.auditEvent.findMany({ where: { action: "admin.plan_changed" } });
    expect(audit.map((a) => [a.organizationId, a.actorId, a.ip, a.metadata])).toEqual([
      [org.id, admin.id, "10.0.0.1", { from: "FREE", to: "PRO", keyLimitsLowered: 0 }],
    ]);
    await expect(changePlan(admin, { organizationId: org.id, plan: "GOLD" }, null)).rejects.toThrow();
    await expect(changePlan(admin, { organizationId: "nope", plan: "PRO" }, null)).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("suspends and restores an organization, audited in it; an unknown organization is not_found", async () => {
    const admin = await db.current.client.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const org = await orgOf("user@example.com");
    await suspendAndRestore(admin, "organization", org.id);
    await expect(
      setOrganizationSuspended(admin, { organizationId: "nope", suspended: true }, null),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("an administrator cannot suspend an organization they belong to, and the listing says which those are", async () => {
    const admin = await db.current.client.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const own = await orgOf("admin@example.com");
    await expect(
      setOrganizationSuspended(admin, { organizationId: own.id, suspended: true }, null),
    ).rejects.toMatchObject({ code: "invalid_request", message: "You cannot suspend an organization you belong to" });
    expect((await db.current.client.organization.findUniqueOrThrow({ where: { id: own.id } })).suspendedAt).toBeNull();
    const rows = await listOrganizations(admin);
    expect(rows.map((o) => [o.slug, o.yours])).toEqual([
      ["user", false],
      [own.slug, true],
    ]);
  });

  it("suspends and restores an account, audited; an admin cannot suspend themselves", async () => {
    const admin = await db.current.client.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const user = await db.current.client.user.findUniqueOrThrow({ where: { email: "user@example.com" } });
    await suspendAndRestore(admin, "account", user.id);
    await expect(setAccountSuspended(admin, { userId: admin.id, suspended: true }, null)).rejects.toMatchObject({
      code: "invalid_request",
    });
    expect((await db.current.client.user.findUniqueOrThrow({ where: { id: admin.id } })).suspendedAt).toBeNull();
  });

  it("refuses a non-admin and changes nothing", async () => {
    const admin = await db.current.client.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    const user = await db.current.client.user.findUniqueOrThrow({ where: { email: "user@example.com" } });
    const org = await orgOf("user@example.com");
    const before = await db.current.client.auditEvent.count();
    await expect(changePlan(user, { organizationId: org.id, plan: "ENTERPRISE" }, null)).rejects.toBeInstanceOf(
      ApiError,
    );
    await expect(
      setOrganizationSuspended(user, { organizationId: org.id, suspended: true }, null),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(setAccountSuspended(user, { userId: admin.id, suspended: true }, null)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(listAccounts(user)).rejects.toMatchObject({ code: "forbidden" });
    await expect(listOrganizations(user)).rejects.toMatchObject({ code: "forbidden" });
    const after = await db.current.client.organization.findUniqueOrThrow({ where: { id: org.id } });
    expect([after.plan, after.suspendedAt]).toEqual(["PRO", null]);
    expect((await db.current.client.user.findUniqueOrThrow({ where: { id: admin.id } })).suspendedAt).toBeNull();
    expect(await db.current.client.auditEvent.count()).toBe(before);
  });
});
