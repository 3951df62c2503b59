// Organization policies on every key write path, through the real actions as signed-in members: create, update,
// rotate and request are each refused with the field at fault; a key a new policy makes non-compliant keeps verifying
// and is flagged. Changing policies is for admins, audited with what changed.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { verifyKey } from "@/lib/keys/verify";
import { toKeyObject } from "@/lib/keys/record";
import { keyObjectViolations, policiesOf } from "@/lib/orgs/policies";
import type { PoliciesInput } from "@/lib/validations/organizations";
import { withTestDb } from "../helpers/db";
import { createMemberAccount, createTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { generateKeyAction, updateKeyAction, rotateKeyAction } = await import("@/lib/actions/keys");
const { updatePoliciesAction } = await import("@/lib/actions/organizations");
const { createKeyRequestAction } = await import("@/lib/actions/key-requests");

const db = withTestDb();
const DAY_MS = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();
let org = "";
let orgId = "";
const ids = { owner: "", developer: "", viewer: "" };

const NO_POLICIES: PoliciesInput = {
  maxKeyLifetimeDays: null,
  requireAllowlistForAdmin: false,
  requireMfa: false,
  keyRequestPolicy: "never",
  leakResponse: "revoke",
};

async function setPolicies(changes: Partial<PoliciesInput>) {
  await signInAs(ids.owner);
  const result = await updatePoliciesAction({ org, ...NO_POLICIES, ...changes });
  expect(result).toMatchObject({ ok: true });
}

async function asDeveloper() {
  await signInAs(ids.developer, { stepUp: true });
}

beforeAll(async () => {
  const owner = await createMemberAccount("owner", { mfa: true });
  const developer = await createMemberAccount("dev", { mfa: true });
  const viewer = await createMemberAccount("viewer");
  Object.assign(ids, { owner: owner.id, developer: developer.id, viewer: viewer.id });
  const team = await createTeam(owner.id, [
    { userId: developer.id, role: "developer" },
    { userId: viewer.id, role: "viewer" },
  ]);
  org = team.slug;
  orgId = team.id;
});

describe("changing policies", () => {
  it("developers and viewers are refused; nothing changes", async () => {
    for (const id of [ids.developer, ids.viewer]) {
      await signInAs(id);
      expect(await updatePoliciesAction({ org, ...NO_POLICIES, maxKeyLifetimeDays: 5 })).toMatchObject({
        ok: false,
        code: "forbidden",
      });
    }
    const row = await db.current.client.organization.findUniqueOrThrow({ where: { id: orgId } });
    expect(row.maxKeyLifetimeDays).toBeNull();
  });

  it("each invalid value names its field", async () => {
    await signInAs(ids.owner);
    const cases: [Partial<Record<keyof PoliciesInput, unknown>>, string][] = [
      [{ maxKeyLifetimeDays: 0 }, "maxKeyLifetimeDays"],
      [{ maxKeyLifetimeDays: 3651 }, "maxKeyLifetimeDays"],
      [{ maxKeyLifetimeDays: 1.5 }, "maxKeyLifetimeDays"],
      [{ keyRequestPolicy: "sometimes" }, "keyRequestPolicy"],
      [{ leakResponse: "ignore" }, "leakResponse"],
      [{ requireMfa: "yes" }, "requireMfa"],
      [{ approvalPermissions: ["not a permission"] }, "approvalPermissions.0"],
    ];
    for (const [change, field] of cases) {
      const result = await updatePoliciesAction({ org, ...NO_POLICIES, ...change } as PoliciesInput & { org: string });
      expect(result, field).toMatchObject({ ok: false, code: "invalid_request" });
      expect(result.ok ? {} : result.fieldErrors, field).toHaveProperty([field]);
    }
  });

  it("an admin's change is audited with what changed", async () => {
    await setPolicies({ maxKeyLifetimeDays: 3650, leakResponse: "notify" });
    const event = await db.current.client.auditEvent.findFirstOrThrow({
      where: { organizationId: orgId, action: "org.policies_updated" },
    });
    expect(event.metadata).toEqual({
      maxKeyLifetimeDays: { from: null, to: 3650 },
      leakResponse: { from: "revoke", to: "notify" },
    });
    await setPolicies({});
  });
});

describe("maximum key lifetime", () => {
  let oldKeyId = "";
  let oldSecret = "";

  it("a key made before the policy keeps verifying and is flagged", async () => {
    await asDeveloper();
    const created = await generateKeyAction({ org, name: "forever", environment: "live", scopes: ["read"] });
    if (!created.ok) throw new Error(created.message);
    oldKeyId = created.data.key.id;
    oldSecret = created.data.secret;
    await setPolicies({ maxKeyLifetimeDays: 30 });

    expect(await verifyKey({ secret: oldSecret })).toMatchObject({ ok: true });
    const policies = policiesOf(await db.current.client.organization.findUniqueOrThrow({ where: { id: orgId } }));
    const key = await db.current.client.apiKey.findUniqueOrThrow({ where: { id: oldKeyId } });
    expect(keyObjectViolations(policies, toKeyObject(key))).toEqual([
      { field: "expiresAt", message: expect.stringMatching(/30 days/) },
    ]);
  });

  it("create: no expiry, or one past the maximum, is refused on expiresAt; within it passes", async () => {
    await asDeveloper();
    const never = await generateKeyAction({ org, name: "never", environment: "live", scopes: ["read"] });
    expect(never).toMatchObject({ ok: false, code: "invalid_request", fieldErrors: { expiresAt: expect.any(String) } });
    const long = await generateKeyAction({
      org,
      name: "long",
      environment: "live",
      scopes: ["read"],
      expiresAt: inDays(90),
    });
    expect(long).toMatchObject({ ok: false, fieldErrors: { expiresAt: expect.stringMatching(/30 days/) } });
    const short = await generateKeyAction({
      org,
      name: "short",
      environment: "live",
      scopes: ["read"],
      expiresAt: inDays(20),
    });
    expect(short).toMatchObject({ ok: true });
  });

  it("update: extending past the maximum is refused on expiresAt; a rename of the non-compliant key is not", async () => {
    await asDeveloper();
    const key = await db.current.client.apiKey.findFirstOrThrow({ where: { organizationId: orgId, name: "short" } });
    const result = await updateKeyAction({ org, id: key.id, expiresAt: inDays(60) });
    expect(result).toMatchObject({ ok: false, fieldErrors: { expiresAt: expect.any(String) } });
    expect(await updateKeyAction({ org, id: oldKeyId, name: "forever-renamed" })).toMatchObject({ ok: true });
    expect(await updateKeyAction({ org, id: oldKeyId, scopes: ["read", "write"] })).toMatchObject({
      ok: false,
      fieldErrors: { expiresAt: expect.any(String) },
    });
  });

  it("rotate: a key the policy made non-compliant cannot get a new secret (expiresAt); a compliant one can", async () => {
    await asDeveloper();
    expect(await rotateKeyAction({ org, id: oldKeyId, gracePeriodSeconds: 0 })).toMatchObject({
      ok: false,
      fieldErrors: { expiresAt: expect.any(String) },
    });
    expect(await verifyKey({ secret: oldSecret })).toMatchObject({ ok: true });
    const key = await db.current.client.apiKey.findFirstOrThrow({ where: { organizationId: orgId, name: "short" } });
    expect(await rotateKeyAction({ org, id: key.id, gracePeriodSeconds: 0 })).toMatchObject({ ok: true });
  });

  it("request: the same limits apply to a key request (expiresAt)", async () => {
    await asDeveloper();
    const base = { org, name: "requested", environment: "live" as const, scopes: ["read"], reason: "batch jobs" };
    expect(await createKeyRequestAction(base)).toMatchObject({
      ok: false,
      fieldErrors: { expiresAt: expect.any(String) },
    });
    expect(await createKeyRequestAction({ ...base, expiresAt: inDays(45) })).toMatchObject({
      ok: false,
      fieldErrors: { expiresAt: expect.any(String) },
    });
    expect(await createKeyRequestAction({ ...base, expiresAt: inDays(10) })).toMatchObject({ ok: true });
    expect(await db.current.client.keyRequest.count({ where: { organizationId: orgId } })).toBe(1);
  });
});

describe("IP allowlist required for admin-scope keys", () => {
  const allowlist = [{ value: "10.0.0.0/8" }];
  let adminKeyId = "";
  let adminSecret = "";

  it("an admin key made before the policy keeps verifying and is flagged", async () => {
    await setPolicies({});
    await signInAs(ids.owner, { stepUp: true });
    const created = await generateKeyAction({ org, name: "open-admin", environment: "live", scopes: ["admin"] });
    if (!created.ok) throw new Error(created.message);
    adminKeyId = created.data.key.id;
    adminSecret = created.data.secret;
    await setPolicies({ requireAllowlistForAdmin: true });
    expect(await verifyKey({ secret: adminSecret, scope: "admin" })).toMatchObject({ ok: true });
    const policies = policiesOf(await db.current.client.organization.findUniqueOrThrow({ where: { id: orgId } }));
    const key = await db.current.client.apiKey.findUniqueOrThrow({ where: { id: adminKeyId } });
    expect(keyObjectViolations(policies, toKeyObject(key)).map((v) => v.field)).toEqual(["ipAllowlist"]);
  });

  it("create, update, rotate and request are each refused on ipAllowlist", async () => {
    await signInAs(ids.owner, { stepUp: true });
    expect(await generateKeyAction({ org, name: "admin-2", environment: "live", scopes: ["admin"] })).toMatchObject({
      ok: false,
      fieldErrors: { ipAllowlist: expect.stringMatching(/allowlist/) },
    });
    const readKey = await generateKeyAction({ org, name: "reader", environment: "live", scopes: ["read"] });
    if (!readKey.ok) throw new Error(readKey.message);
    expect(await updateKeyAction({ org, id: readKey.data.key.id, scopes: ["admin"] })).toMatchObject({
      ok: false,
      fieldErrors: { ipAllowlist: expect.any(String) },
    });
    expect(await updateKeyAction({ org, id: adminKeyId, ipAllowlist: [] })).toMatchObject({
      ok: false,
      fieldErrors: { ipAllowlist: expect.any(String) },
    });
    expect(await rotateKeyAction({ org, id: adminKeyId, gracePeriodSeconds: 0 })).toMatchObject({
      ok: false,
      fieldErrors: { ipAllowlist: expect.any(String) },
    });
    await asDeveloper();
    expect(
      await createKeyRequestAction({ org, name: "req-admin", environment: "live", scopes: ["admin"], reason: "ops" }),
    ).toMatchObject({ ok: false, fieldErrors: { ipAllowlist: expect.any(String) } });
  });

  it("with an allowlist the same writes go through", async () => {
    await signInAs(ids.owner, { stepUp: true });
    expect(
      await generateKeyAction({ org, name: "admin-3", environment: "live", scopes: ["admin"], ipAllowlist: allowlist }),
    ).toMatchObject({ ok: true });
    expect(await updateKeyAction({ org, id: adminKeyId, ipAllowlist: allowlist })).toMatchObject({ ok: true });
    expect(await rotateKeyAction({ org, id: adminKeyId, gracePeriodSeconds: 0 })).toMatchObject({ ok: true });
    await asDeveloper();
    expect(
      await createKeyRequestAction({
        org,
        name: "req-admin",
        environment: "live",
        scopes: ["admin"],
        ipAllowlist: allowlist,
        reason: "ops",
      }),
    ).toMatchObject({ ok: true });
  });
});

describe("key request policy", () => {
  it("always: a developer's every key needs a request; admins and owners still create directly", async () => {
    await setPolicies({ keyRequestPolicy: "always" });
    await asDeveloper();
    expect(await generateKeyAction({ org, name: "dev-read", environment: "live", scopes: ["read"] })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    await signInAs(ids.owner, { stepUp: true });
    expect(await generateKeyAction({ org, name: "owner-read", environment: "live", scopes: ["read"] })).toMatchObject({
      ok: true,
    });
  });

  it("admin_scope: a developer cannot grant admin scope to their key by an update either", async () => {
    await setPolicies({ keyRequestPolicy: "admin_scope" });
    await asDeveloper();
    const created = await generateKeyAction({ org, name: "dev-write", environment: "live", scopes: ["write"] });
    if (!created.ok) throw new Error(created.message);
    expect(await updateKeyAction({ org, id: created.data.key.id, scopes: ["admin"] })).toMatchObject({
      ok: false,
      code: "forbidden",
      fieldErrors: { scopes: expect.stringMatching(/approval/) },
    });
  });
});
