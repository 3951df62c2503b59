// The permission catalogue and keys' permissions: name validation, wildcard matching, the audited catalogue (admin
// actions and PUT /api/v1/permissions with the service token), unknown permissions refused on keys (REST and key
// requests), the approval policy for listed permissions, and verification with permissions through POST /api/v1/verify,
// requireKey and withApiKey (INSUFFICIENT_PERMISSIONS / 403 insufficient_permissions).
process.env.KEYHOLD_SERVICE_TOKEN = "service-token-for-tests-0123456789";

import { Hono } from "hono";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/errors";
import { requireKey, type ApiEnv } from "@/lib/api/require-key";
import { json } from "@/lib/api/responses";
import { withApiKey } from "@/lib/api/with-api-key";
import { createKey } from "@/lib/keys/service";
import { verifyKey } from "@/lib/keys/verify";
import {
  addPermission,
  deletePermission,
  describePermission,
  listPermissionsWithHolders,
} from "@/lib/permissions/catalogue";
import { grants } from "@/lib/permissions/names";
import { permissionNameSchema } from "@/lib/validations/permissions";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser, errorOf, makeKey, ownerActor, postKey } from "../helpers/keys";
import { createMemberAccount, createTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { addPermissionAction, deletePermissionAction } = await import("@/lib/actions/permissions");
const { generateKeyAction } = await import("@/lib/actions/keys");
const { createKeyRequestAction, approveKeyRequestAction, revealKeyRequestAction } =
  await import("@/lib/actions/key-requests");

const db = withTestDb();
const TOKEN = "service-token-for-tests-0123456789";
const CATALOGUE = [
  { name: "inference:read", description: "Run read-only inference" },
  { name: "inference:write", description: "Start inference jobs" },
  { name: "inference:*", description: "Every inference action" },
  { name: "analytics:read", description: "Read analytics" },
  { name: "billing:read", description: "Read invoices" },
];
let admin = { id: "", role: "ADMIN" };

const putCatalogue = (body: unknown, token: string | null = TOKEN) =>
  api(apiRequest("/api/v1/permissions", { method: "PUT", key: token ?? undefined, body }));

const verify = (body: unknown) => api(apiRequest("/api/v1/verify", { method: "POST", key: TOKEN, body }));

beforeAll(async () => {
  const user = await createMemberAccount("instance-admin");
  await db.current.client.user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
  admin = { id: user.id, role: "ADMIN" };
  const res = await putCatalogue({ permissions: CATALOGUE });
  expect(res.status).toBe(200);
});

describe("permission names", () => {
  it.each([
    ["inference:read", true],
    ["inference:*", true],
    ["a:b", true],
    ["my_res-1:do_it-2", true],
    ["inference:read*", true],
    [`${"a".repeat(32)}:${"b".repeat(32)}`, true],
    [`${"a".repeat(33)}:b`, false],
    [`a:${"b".repeat(33)}`, false],
    ["Inference:read", false],
    ["inference:Read", false],
    ["1nference:read", false],
    ["*:read", false],
    ["inference", false],
    ["inference:", false],
    [":read", false],
    ["inference:read:extra", false],
    ["inference :read", false],
    ["inference:_read", false],
    ["", false],
  ])("%s is %s", (name, valid) => {
    expect(permissionNameSchema.safeParse(name).success).toBe(valid);
  });

  it("grants matches exactly, or through the resource's wildcard", () => {
    // [held, wanted, granted]
    const cases: [string[], string, boolean][] = [
      [["inference:read"], "inference:read", true],
      [["inference:read"], "inference:write", false],
      [["inference:*"], "inference:write", true],
      [["inference:*"], "inference:*", true],
      [["inference:*"], "analytics:read", false],
      [["inference:read"], "inference:*", false],
      [["inference:*"], "inferencex:read", false],
      [[], "inference:read", false],
    ];
    for (const [held, wanted, granted] of cases) expect(grants(held, wanted), `${held} → ${wanted}`).toBe(granted);
  });
});

describe("the catalogue", () => {
  it("GET /api/v1/permissions answers it to any valid key, by name", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["read"]);
    const res = await api(apiRequest("/api/v1/permissions", { key: secret }));
    expect(res.status).toBe(200);
    const names = CATALOGUE.map((p) => p.name).sort();
    expect((await res.json()).data.map((p: { name: string }) => p.name)).toEqual(names);
    expect(await errorOf(await api(apiRequest("/api/v1/permissions")))).toMatchObject({ status: 401 });
  });

  it("PUT needs the service token: 401 without it or with a key", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["admin"]);
    expect(await errorOf(await putCatalogue({ permissions: CATALOGUE }, null))).toMatchObject({
      status: 401,
      code: "missing_key",
    });
    expect(await errorOf(await putCatalogue({ permissions: CATALOGUE }, secret))).toMatchObject({
      status: 401,
      code: "invalid_key",
    });
  });

  it("PUT validates the document: 400 naming the field", async () => {
    expect(await errorOf(await putCatalogue({ permissions: [{ name: "Bad Name" }] }))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^permissions\.0\.name: /),
    });
    expect(
      await errorOf(await putCatalogue({ permissions: [{ name: "a:b" }, { name: "a:b", description: "again" }] })),
    ).toMatchObject({ status: 400, message: "permissions.1.name: Duplicate permission: a:b" });
    expect(await errorOf(await putCatalogue({}))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^permissions/),
    });
    expect(await errorOf(await putCatalogue({ permissions: [], extra: 1 }))).toMatchObject({ status: 400 });
  });

  it("PUT replaces it in one transaction (add, describe, remove), audited with no actor", async () => {
    const next = [
      ...CATALOGUE.filter((p) => p.name !== "billing:read"),
      { name: "models:deploy", description: "" },
    ].map((p) => (p.name === "analytics:read" ? { ...p, description: "Read dashboards" } : p));
    const res = await putCatalogue({ permissions: next });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.data).toEqual([...next].sort((a, b) => a.name.localeCompare(b.name)));
    const event = await db.current.client.auditEvent.findFirstOrThrow({
      where: { action: "permissions.updated" },
      orderBy: { createdAt: "desc" },
    });
    expect(event).toMatchObject({ organizationId: null, actorId: null });
    expect(event.metadata).toMatchObject({
      added: ["models:deploy"],
      removed: ["billing:read"],
      described: ["analytics:read"],
    });
    expect((await putCatalogue({ permissions: CATALOGUE })).status).toBe(200);
  });

  it("PUT refuses to remove a permission an active key holds: 409 naming it, nothing changed", async () => {
    const user = await createUser();
    const held = await makeKey(user.id, ["read"], { permissions: ["billing:read"] });
    const res = await putCatalogue({
      permissions: CATALOGUE.filter((p) => p.name !== "billing:read").concat([{ name: "x:y", description: "" }]),
    });
    expect(await errorOf(res)).toMatchObject({
      status: 409,
      code: "conflict",
      message: expect.stringMatching(/billing:read is held by 1 active key/),
    });
    const names = (await db.current.client.permission.findMany()).map((p) => p.name);
    expect(names).toContain("billing:read");
    expect(names).not.toContain("x:y");
    // Revoked keys do not hold anything any more.
    await db.current.client.apiKey.update({
      where: { id: held.key.id },
      data: { revokedAt: new Date(), activeName: null },
    });
    expect((await putCatalogue({ permissions: CATALOGUE.filter((p) => p.name !== "billing:read") })).status).toBe(200);
    expect((await putCatalogue({ permissions: CATALOGUE })).status).toBe(200);
  });

  it("admins add, describe and delete; a held permission's delete is refused naming the count; all audited", async () => {
    await addPermission(admin, { name: "reports:export", description: "Export reports" }, "10.0.0.1");
    await expect(addPermission(admin, { name: "reports:export" }, null)).rejects.toMatchObject({
      code: "invalid_request",
      field: "name",
    });
    await describePermission(admin, { name: "reports:export", description: "Export CSV reports" }, null);
    const user = await createUser();
    await makeKey(user.id, ["read"], { permissions: ["reports:export"] });
    await makeKey(user.id, ["read"], { permissions: ["reports:export", "inference:read"] });
    const rows = await listPermissionsWithHolders(admin);
    expect(rows.find((r) => r.name === "reports:export")).toMatchObject({ keys: 2, description: "Export CSV reports" });
    await expect(deletePermission(admin, { name: "reports:export" }, null)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/held by 2 active keys/),
    });
    await expect(deletePermission(admin, { name: "nothing:here" }, null)).rejects.toMatchObject({ code: "not_found" });
    await expect(addPermission({ id: user.id, role: "USER" }, { name: "a:b" }, null)).rejects.toMatchObject({
      code: "forbidden",
    });
    await addPermission(admin, { name: "reports:delete" }, null);
    await deletePermission(admin, { name: "reports:delete" }, null);
    const actions = (
      await db.current.client.auditEvent.findMany({
        where: { actorId: admin.id, action: { startsWith: "permissions." } },
        orderBy: { createdAt: "asc" },
      })
    ).map((e) => [e.action, e.organizationId]);
    expect(actions).toEqual([
      ["permissions.added", null],
      ["permissions.described", null],
      ["permissions.added", null],
      ["permissions.deleted", null],
    ]);
  });

  it("a delete racing a grant never leaves a key holding a removed permission", async () => {
    const user = await createUser();
    const actor = await ownerActor(user.id);
    for (let round = 0; round < 8; round++) {
      const name = `race${round}:run`;
      await addPermission(admin, { name }, null);
      const [deleted, granted] = await Promise.allSettled([
        deletePermission(admin, { name }, null),
        createKey(
          actor,
          {
            name: `race-${round}`,
            environment: "test",
            scopes: ["read"],
            permissions: [name],
            expiresAt: null,
            ipAllowlist: [],
            rateLimit: null,
          },
          { ip: null },
        ),
      ]);
      // Exactly one wins: the delete (the grant is then an unknown permission) or the grant (the delete is refused).
      expect([deleted.status, granted.status].sort()).toEqual(["fulfilled", "rejected"]);
      const exists = await db.current.client.permission.count({ where: { name } });
      const holders = await db.current.client.apiKey.count({ where: { permissions: { has: name } } });
      expect({ exists, holders }).toEqual(
        deleted.status === "fulfilled" ? { exists: 0, holders: 0 } : { exists: 1, holders: 1 },
      );
    }
  });

  it("the admin actions need an instance administrator and answer field errors", async () => {
    const member = await createMemberAccount("not-admin");
    await signInAs(member.id);
    expect(await addPermissionAction({ name: "ops:restart", description: "" })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    await signInAs(admin.id);
    expect(await addPermissionAction({ name: "Ops Restart", description: "" })).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { name: expect.any(String) },
    });
    expect(await addPermissionAction({ name: "ops:restart", description: "Restart" })).toMatchObject({ ok: true });
    expect(await deletePermissionAction({ name: "ops:restart" })).toMatchObject({ ok: true });
  });
});

describe("keys hold catalogue permissions", () => {
  it("REST create and PATCH accept them (sorted, deduplicated); an unknown one is a 400 naming it", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["admin"]);
    const created = await postKey(secret, {
      name: "gw",
      environment: "live",
      scopes: ["read"],
      permissions: ["inference:write", "analytics:read", "inference:write"],
    });
    expect(created.status).toBe(201);
    const { key } = await created.json();
    expect(key.permissions).toEqual(["analytics:read", "inference:write"]);

    const unknown = await postKey(secret, {
      name: "gw2",
      environment: "live",
      scopes: ["read"],
      permissions: ["inference:read", "x:y"],
    });
    expect(await errorOf(unknown)).toMatchObject({
      status: 400,
      code: "invalid_request",
      message: "permissions: Unknown permission: x:y",
    });
    const malformed = await postKey(secret, {
      name: "gw3",
      environment: "live",
      scopes: ["read"],
      permissions: ["NOPE"],
    });
    expect(await errorOf(malformed)).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^permissions\.0: /),
    });

    const patch = (body: unknown) => api(apiRequest(`/api/v1/keys/${key.id}`, { method: "PATCH", key: secret, body }));
    expect(await errorOf(await patch({ permissions: ["billing:write"] }))).toMatchObject({
      status: 400,
      message: "permissions: Unknown permission: billing:write",
    });
    const patched = await patch({ permissions: ["inference:*"] });
    expect(patched.status).toBe(200);
    expect((await patched.json()).permissions).toEqual(["inference:*"]);
    const cleared = await patch({ permissions: [] });
    expect((await cleared.json()).permissions).toEqual([]);
    const got = await api(apiRequest(`/api/v1/keys/${key.id}`, { key: secret }));
    expect((await got.json()).permissions).toEqual([]);
  });

  it("the approval policy sends listed permissions through a key request, which carries them to the key", async () => {
    const owner = await createMemberAccount("owner", { mfa: true });
    const reviewer = await createMemberAccount("reviewer", { mfa: true });
    const developer = await createMemberAccount("dev", { mfa: true });
    const team = await createTeam(owner.id, [
      { userId: reviewer.id, role: "admin" },
      { userId: developer.id, role: "developer" },
    ]);
    await db.current.client.organization.update({
      where: { id: team.id },
      data: { keyRequestPolicy: "admin_scope", approvalPermissions: ["billing:read"] },
    });
    const org = team.slug;
    await signInAs(developer.id, { stepUp: true });
    const base = { org, environment: "live" as const, scopes: ["read"] };
    expect(await generateKeyAction({ ...base, name: "plain", permissions: ["inference:read"] })).toMatchObject({
      ok: true,
    });
    expect(await generateKeyAction({ ...base, name: "billing", permissions: ["billing:read"] })).toMatchObject({
      ok: false,
      code: "forbidden",
      message: expect.stringMatching(/key request/),
    });
    expect(
      await createKeyRequestAction({ ...base, name: "req", permissions: ["nope:nope"], reason: "billing export" }),
    ).toMatchObject({ ok: false, fieldErrors: { permissions: "Unknown permission: nope:nope" } });
    const submitted = await createKeyRequestAction({
      ...base,
      name: "billing",
      permissions: ["billing:read", "analytics:read"],
      reason: "billing export",
    });
    if (!submitted.ok) throw new Error(submitted.message);
    await signInAs(reviewer.id, { stepUp: true });
    expect(await approveKeyRequestAction({ org, id: submitted.data.id })).toMatchObject({ ok: true });
    await signInAs(developer.id, { stepUp: true });
    const revealed = await revealKeyRequestAction({ org, id: submitted.data.id });
    if (!revealed.ok) throw new Error(revealed.message);
    expect(revealed.data.key.permissions).toEqual(["analytics:read", "billing:read"]);
    const v = await verifyKey({ secret: revealed.data.secret, permissions: ["billing:read"] });
    expect(v.ok).toBe(true);
  });
});

describe("verification with permissions", () => {
  let secret = "";
  let wildcard = "";
  let none = "";

  beforeAll(async () => {
    const user = await createUser();
    secret = (await makeKey(user.id, ["read"], { permissions: ["inference:read", "analytics:read"] })).secret;
    wildcard = (await makeKey(user.id, ["read"], { permissions: ["inference:*"] })).secret;
    none = (await makeKey(user.id, ["read"])).secret;
  });

  it("POST /api/v1/verify: all listed permissions granted (exact or wildcard) is VALID, else INSUFFICIENT_PERMISSIONS", async () => {
    const ok = await verify({ key: secret, permissions: ["inference:read", "analytics:read"] });
    expect(await ok.json()).toMatchObject({
      valid: true,
      code: "VALID",
      permissions: ["analytics:read", "inference:read"],
    });
    const missing = await (await verify({ key: secret, permissions: ["inference:read", "inference:write"] })).json();
    expect(missing).toMatchObject({ valid: false, code: "INSUFFICIENT_PERMISSIONS", ratelimit: null });
    expect(
      await (await verify({ key: wildcard, permissions: ["inference:write", "inference:read"] })).json(),
    ).toMatchObject({
      valid: true,
      permissions: ["inference:*"],
    });
    expect(await (await verify({ key: wildcard, permissions: ["analytics:read"] })).json()).toMatchObject({
      code: "INSUFFICIENT_PERMISSIONS",
    });
    expect(await (await verify({ key: none, permissions: ["inference:read"] })).json()).toMatchObject({
      code: "INSUFFICIENT_PERMISSIONS",
    });
    expect(await (await verify({ key: none, permissions: [] })).json()).toMatchObject({
      code: "VALID",
      permissions: [],
    });
    // The scope is checked first.
    expect(await (await verify({ key: none, scope: "admin", permissions: ["inference:read"] })).json()).toMatchObject({
      code: "INSUFFICIENT_SCOPE",
    });
  });

  it("POST /api/v1/verify validates permissions: 400 naming the field", async () => {
    expect(await errorOf(await verify({ key: secret, permissions: ["Bad"] }))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^permissions\.0: /),
    });
    expect(await errorOf(await verify({ key: secret, permissions: "inference:read" }))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^permissions: /),
    });
    const many = Array.from({ length: 51 }, (_, i) => `r${i}:read`);
    expect(await errorOf(await verify({ key: secret, permissions: many }))).toMatchObject({
      status: 400,
      message: "permissions: At most 50 permissions",
    });
  });

  it("a PATCH reaches the verifier at once (the cached record's compiled permissions are dropped with it)", async () => {
    const user = await createUser();
    const made = await makeKey(user.id, ["read"], { permissions: ["inference:read"] });
    expect((await verifyKey({ secret: made.secret, permissions: ["analytics:read"] })).ok).toBe(false);
    const { updateKey } = await import("@/lib/keys/service");
    await updateKey(await ownerActor(user.id), made.key.id, { permissions: ["analytics:read"] }, { ip: null });
    expect((await verifyKey({ secret: made.secret, permissions: ["analytics:read"] })).ok).toBe(true);
  });

  it("requireKey({ scope, permissions }) answers 403 insufficient_permissions, and runs the route otherwise", async () => {
    const app = new Hono<ApiEnv>();
    app.get("/jobs", requireKey({ scope: "read", permissions: ["inference:write"] }), (c) =>
      c.json({ keyId: c.get("key").id }),
    );
    const denied = await app.fetch(apiRequest("/jobs", { key: secret }));
    expect(await errorOf(denied)).toMatchObject({ status: 403, code: "insufficient_permissions" });
    expect(denied.headers.get("x-ratelimit-limit")).toBeNull();
    const allowed = await app.fetch(apiRequest("/jobs", { key: wildcard }));
    expect(allowed.status).toBe(200);
  });

  it("withApiKey(handler, { permissions }) does the same; a malformed declared name throws when the route is built", async () => {
    const handler = withApiKey(async () => json({ ok: true }), { permissions: ["analytics:read", "inference:read"] });
    const params = { params: Promise.resolve({}) };
    expect((await handler(apiRequest("/embedded", { key: secret }), params)).status).toBe(200);
    expect(await errorOf(await handler(apiRequest("/embedded", { key: wildcard }), params))).toMatchObject({
      status: 403,
      code: "insufficient_permissions",
      message: "The API key does not hold every permission this request needs.",
    });
    expect(() => withApiKey(async () => json({}), { permissions: ["Not A Name"] })).toThrow(/Not a permission name/);
    expect(() => requireKey({ permissions: ["inference"] })).toThrow(/Not a permission name/);
  });

  it("createKey refuses an unknown permission with a field error (service level)", async () => {
    const user = await createUser();
    await expect(
      createKey(
        await ownerActor(user.id),
        {
          name: "k",
          environment: "test",
          scopes: ["read"],
          permissions: ["ghost:read"],
          expiresAt: null,
          ipAllowlist: [],
          rateLimit: null,
        },
        { ip: null },
      ),
    ).rejects.toEqual(new ApiError("invalid_request", "Unknown permission: ghost:read", "permissions"));
  });
});
