// The REST API inside organizations: GET /api/v1/members and /api/v1/organization, whoami's organization, key objects'
// createdBy, and isolation: a key of one organization finds nothing of another (404 on every route that takes an id).
import { beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "@/lib/api/app";
import { db } from "@/lib/db";
import type { Organization, User } from "@/lib/generated/prisma/client";
import { createKey, type KeyWithSecret } from "@/lib/keys/service";
import { sendTestEvent } from "@/lib/webhooks/endpoints";
import type { OrgRole } from "@/lib/orgs/roles";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser, makeKey, postKey } from "../helpers/keys";
import { createMemberAccount, createTeam } from "../helpers/org-team";

withTestDb();

let owner: User, admin: User, developer: User, viewer: User;
let team: Organization;
// Keys of the team: an admin key made by the owner, a read key made by the developer.
let teamAdmin: KeyWithSecret, teamReader: KeyWithSecret;
// Another organization (a user's personal one) and its admin key.
let outsider: Awaited<ReturnType<typeof createUser>>;
let outsiderKey: KeyWithSecret;
// Each organization's webhook endpoint and one of its deliveries, by the id of a key of that organization (the id the
// isolation test below is handed).
const hookOf: Record<string, { webhook: string; delivery: string }> = {};

// A webhook endpoint of an organization, with one delivery queued.
async function hookIn(organizationId: string) {
  const webhook = await db.webhookEndpoint.create({
    data: { organizationId, url: "https://93.184.215.14/hook", events: ["key.created"], secretEnc: "unused" },
  });
  const delivery = await sendTestEvent(organizationId, webhook.id);
  return { webhook: webhook.id, delivery: delivery.id };
}

function teamKey(userId: string, role: OrgRole, name: string, scopes: ("read" | "write" | "admin")[]) {
  return createKey(
    { organizationId: team.id, userId, role },
    { name, environment: "live", scopes, expiresAt: null, ipAllowlist: [], rateLimit: null },
    { ip: null },
  );
}

const get = async (path: string, key: string, headers: Record<string, string> = {}) =>
  api(apiRequest(path, { key, headers }));

beforeAll(async () => {
  owner = await createMemberAccount("owner", { mfa: true });
  admin = await createMemberAccount("admin");
  developer = await createMemberAccount("developer");
  viewer = await createMemberAccount("viewer");
  team = await createTeam(owner.id, [
    { userId: admin.id, role: "admin" },
    { userId: developer.id, role: "developer" },
    { userId: viewer.id, role: "viewer" },
  ]);
  teamAdmin = await teamKey(owner.id, "owner", "ops", ["admin"]);
  teamReader = await teamKey(developer.id, "developer", "reporting", ["read"]);
  outsider = await createUser("outsider");
  outsiderKey = await makeKey(outsider.id, ["admin"]);
  hookOf[teamReader.key.id] = await hookIn(team.id);
  hookOf[outsiderKey.key.id] = await hookIn(outsider.organization.id);
});

describe("GET /api/v1/members", () => {
  it("lists the key's organization's members in the order they joined, with role and MFA", async () => {
    const res = await get("/api/v1/members", teamReader.secret);
    expect(res.status).toBe(200);
    const { data } = await res.json();
    expect(data).toEqual([
      { userId: owner.id, email: owner.email, role: "owner", mfa: true, joinedAt: expect.any(String) },
      { userId: admin.id, email: admin.email, role: "admin", mfa: false, joinedAt: expect.any(String) },
      { userId: developer.id, email: developer.email, role: "developer", mfa: false, joinedAt: expect.any(String) },
      { userId: viewer.id, email: viewer.email, role: "viewer", mfa: false, joinedAt: expect.any(String) },
    ]);
    const joined = await db.membership.findFirstOrThrow({ where: { organizationId: team.id, userId: viewer.id } });
    expect(data[3].joinedAt).toBe(joined.createdAt.toISOString());
  });

  it("shows another organization's key only its own members", async () => {
    const { data } = await (await get("/api/v1/members", outsiderKey.secret)).json();
    expect(data.map((m: { userId: string }) => m.userId)).toEqual([outsider.id]);
  });

  it("refuses another organization's client ID and a missing key", async () => {
    const res = await get("/api/v1/members", teamReader.secret, { "x-client-id": outsider.organization.clientId });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("client_id_mismatch");
    expect((await api(apiRequest("/api/v1/members"))).status).toBe(401);
  });
});

describe("GET /api/v1/organization", () => {
  it("answers the key's organization with its plan and policies, read fresh (a policy change shows at once)", async () => {
    const res = await get("/api/v1/organization", teamReader.secret);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: team.id,
      slug: team.slug,
      name: "Acme",
      plan: "FREE",
      policies: {
        maxKeyLifetimeDays: null,
        requireAllowlistForAdmin: false,
        requireMfa: false,
        keyRequestPolicy: "never",
        approvalPermissions: [],
        leakResponse: "revoke",
      },
    });
    await db.organization.update({
      where: { id: team.id },
      data: { maxKeyLifetimeDays: 30, keyRequestPolicy: "admin_scope", approvalPermissions: ["billing:write"] },
    });
    const after = await (await get("/api/v1/organization", teamReader.secret)).json();
    expect(after.policies).toMatchObject({
      maxKeyLifetimeDays: 30,
      keyRequestPolicy: "admin_scope",
      approvalPermissions: ["billing:write"],
    });
    await db.organization.update({
      where: { id: team.id },
      data: { maxKeyLifetimeDays: null, keyRequestPolicy: "never", approvalPermissions: [] },
    });
  });

  it("answers another organization's key with that organization", async () => {
    const body = await (await get("/api/v1/organization", outsiderKey.secret)).json();
    expect(body).toMatchObject({ id: outsider.organization.id, slug: outsider.organization.slug });
  });
});

describe("whoami and key objects", () => {
  it("whoami names the organization and the organization's client ID", async () => {
    const body = await (await get("/api/v1/whoami", teamReader.secret)).json();
    expect(body.clientId).toBe(team.clientId);
    expect(body.organization).toEqual({ id: team.id, slug: team.slug, name: "Acme", plan: "FREE" });
    expect(body.key).toMatchObject({ id: teamReader.key.id, createdBy: developer.id });
  });

  it("createdBy is the member who created the key; a key created through the API is its acting key's creator's", async () => {
    const created = await postKey(teamAdmin.secret, { name: "from the api", environment: "test", scopes: ["read"] });
    expect(created.status).toBe(201);
    const viaApi = (await created.json()).key;
    expect(viaApi.createdBy).toBe(owner.id);
    const { data } = await (await get("/api/v1/keys", teamReader.secret)).json();
    const byId = Object.fromEntries(data.map((k: { id: string; createdBy: string | null }) => [k.id, k.createdBy]));
    expect(byId).toEqual({ [teamAdmin.key.id]: owner.id, [teamReader.key.id]: developer.id, [viaApi.id]: owner.id });
  });
});

describe("isolation between organizations", () => {
  // Every route taking an id (the documentation's static assets aside), as a request for that id, and usage's keyId;
  // the test below fails if a route with an id is added without an entry here.
  const byId: Record<string, (id: string) => { path: string; method: string; body?: unknown }> = {
    "GET /api/v1/keys/{id}": (id) => ({ path: `/api/v1/keys/${id}`, method: "GET" }),
    "PATCH /api/v1/keys/{id}": (id) => ({ path: `/api/v1/keys/${id}`, method: "PATCH", body: { name: "taken over" } }),
    "POST /api/v1/keys/{id}/rotate": (id) => ({ path: `/api/v1/keys/${id}/rotate`, method: "POST", body: {} }),
    "POST /api/v1/keys/{id}/revoke": (id) => ({ path: `/api/v1/keys/${id}/revoke`, method: "POST" }),
    "GET /api/v1/usage?keyId": (id) => ({ path: `/api/v1/usage?keyId=${id}`, method: "GET" }),
    "GET /api/v1/webhooks/{id}": (id) => ({ path: `/api/v1/webhooks/${hookOf[id].webhook}`, method: "GET" }),
    "PATCH /api/v1/webhooks/{id}": (id) => ({
      path: `/api/v1/webhooks/${hookOf[id].webhook}`,
      method: "PATCH",
      body: { enabled: false },
    }),
    "DELETE /api/v1/webhooks/{id}": (id) => ({ path: `/api/v1/webhooks/${hookOf[id].webhook}`, method: "DELETE" }),
    "GET /api/v1/webhooks/{id}/deliveries": (id) => ({
      path: `/api/v1/webhooks/${hookOf[id].webhook}/deliveries`,
      method: "GET",
    }),
    "POST /api/v1/webhooks/{id}/deliveries/{d}/retry": (id) => ({
      path: `/api/v1/webhooks/${hookOf[id].webhook}/deliveries/${hookOf[id].delivery}/retry`,
      method: "POST",
    }),
    "POST /api/v1/webhooks/{id}/test": (id) => ({
      path: `/api/v1/webhooks/${hookOf[id].webhook}/test`,
      method: "POST",
    }),
  };

  it("covers every route that takes an id", () => {
    const withId = apiRoutes()
      .filter((r) => r.path.includes("{") && !r.path.startsWith("/api/v1/docs/"))
      .map((r) => `${r.method} ${r.path}`);
    expect(withId.sort()).toEqual(
      Object.keys(byId)
        .filter((k) => !k.includes("?"))
        .sort(),
    );
  });

  it("answers 404 not_found for another organization's key on every route, both ways, and changes nothing", async () => {
    const pairs: [string, string, string][] = [
      ["team → outsider", teamAdmin.secret, outsiderKey.key.id],
      ["outsider → team", outsiderKey.secret, teamReader.key.id],
    ];
    const before = await db.apiKey.findMany({ orderBy: { id: "asc" } });
    const hooksBefore = await db.webhookEndpoint.findMany({ orderBy: { id: "asc" } });
    for (const [direction, secret, foreignId] of pairs) {
      for (const [route, request] of Object.entries(byId)) {
        const { path, method, body } = request(foreignId);
        const res = await api(apiRequest(path, { method, key: secret, body }));
        expect(res.status, `${direction}: ${route}`).toBe(404);
        expect((await res.json()).error.code, `${direction}: ${route}`).toBe("not_found");
      }
    }
    const after = await db.apiKey.findMany({ orderBy: { id: "asc" } });
    const stable = (keys: typeof before) =>
      keys.map(({ id, name, hash, previousHash, revokedAt, scopes }) => ({
        id,
        name,
        hash,
        previousHash,
        revokedAt,
        scopes,
      }));
    expect(stable(after)).toEqual(stable(before));
    expect(await db.webhookEndpoint.findMany({ orderBy: { id: "asc" } })).toEqual(hooksBefore);
    expect(
      await db.auditEvent.count({
        where: { keyId: { in: [outsiderKey.key.id, teamReader.key.id] }, action: { not: "key.created" } },
      }),
    ).toBe(0);
  });

  it("lists only the organization's own keys and usage", async () => {
    const { data } = await (await get("/api/v1/keys", outsiderKey.secret)).json();
    expect(data.map((k: { id: string }) => k.id)).toEqual([outsiderKey.key.id]);
    const usage = await (await get("/api/v1/usage?range=24h", outsiderKey.secret)).json();
    expect(usage.totals.keys.every((k: { keyId: string }) => k.keyId === outsiderKey.key.id)).toBe(true);
  });
});
