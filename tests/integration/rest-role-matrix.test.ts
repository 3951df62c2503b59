// The REST role matrix (issue 19, finding 2): every key-authenticated management route of the OpenAPI document, called
// with an admin-scope key whose creator is an owner, an admin, a developer or a viewer (a key made while a developer,
// then demoted) of the organization, and with the same key after its creator was removed. Each role's outcome is stated
// here from DESIGN.md's role description (viewers read; developers make keys and manage their own; admins manage every
// key, webhooks and the audit log; owners everything) — not from lib/orgs/roles.ts — and a route missing from the table
// fails the test. Each case runs in a fresh organization; a refusal must change nothing.
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/app";
import { db } from "@/lib/db";
import { createKey } from "@/lib/keys/service";
import type { OrgRole } from "@/lib/orgs/roles";
import { createWebhook, sendTestEvent } from "@/lib/webhooks/endpoints";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser } from "../helpers/keys";
import { createTeam } from "../helpers/org-team";

withTestDb();

const ROLES = ["owner", "admin", "developer", "viewer"] as const satisfies readonly OrgRole[];
type Role = (typeof ROLES)[number];
type Fixture = { ownKeyId: string; otherKeyId: string; webhookId: string; deliveryId: string };
type Case = {
  // The request, given the organization's fixture.
  request: (f: Fixture) => { path: string; method: string; body?: unknown };
  // The roles whose key gets a 2xx; every other role gets 403.
  allowed: readonly Role[];
};

const everyone = ROLES;
const keyMakers = ["owner", "admin", "developer"] as const;
const admins = ["owner", "admin"] as const;

// "METHOD /path" as the OpenAPI document names it → the case.
const TABLE: Record<string, Case> = {
  "GET /api/v1/whoami": { request: () => ({ path: "/api/v1/whoami", method: "GET" }), allowed: everyone },
  "GET /api/v1/organization": { request: () => ({ path: "/api/v1/organization", method: "GET" }), allowed: everyone },
  "GET /api/v1/members": { request: () => ({ path: "/api/v1/members", method: "GET" }), allowed: everyone },
  "GET /api/v1/permissions": { request: () => ({ path: "/api/v1/permissions", method: "GET" }), allowed: everyone },
  "GET /api/v1/usage": { request: () => ({ path: "/api/v1/usage", method: "GET" }), allowed: everyone },
  "GET /api/v1/keys": { request: () => ({ path: "/api/v1/keys", method: "GET" }), allowed: everyone },
  "GET /api/v1/keys/{id}": {
    request: (f) => ({ path: `/api/v1/keys/${f.otherKeyId}`, method: "GET" }),
    allowed: everyone,
  },
  "POST /api/v1/keys": {
    request: () => ({
      path: "/api/v1/keys",
      method: "POST",
      body: { name: "made", scopes: ["read"], environment: "test" },
    }),
    allowed: keyMakers,
  },
  // Another member's key: an admin's change.
  "PATCH /api/v1/keys/{id}": {
    request: (f) => ({ path: `/api/v1/keys/${f.otherKeyId}`, method: "PATCH", body: { name: "renamed" } }),
    allowed: admins,
  },
  "POST /api/v1/keys/{id}/rotate": {
    request: (f) => ({ path: `/api/v1/keys/${f.otherKeyId}/rotate`, method: "POST", body: {} }),
    allowed: admins,
  },
  "POST /api/v1/keys/{id}/revoke": {
    request: (f) => ({ path: `/api/v1/keys/${f.otherKeyId}/revoke`, method: "POST" }),
    allowed: admins,
  },
  "GET /api/v1/audit": { request: () => ({ path: "/api/v1/audit", method: "GET" }), allowed: admins },
  "GET /api/v1/webhooks": { request: () => ({ path: "/api/v1/webhooks", method: "GET" }), allowed: admins },
  "POST /api/v1/webhooks": {
    request: () => ({
      path: "/api/v1/webhooks",
      method: "POST",
      body: { url: "https://93.184.215.14/other", events: ["key.created"] },
    }),
    allowed: admins,
  },
  "GET /api/v1/webhooks/{id}": {
    request: (f) => ({ path: `/api/v1/webhooks/${f.webhookId}`, method: "GET" }),
    allowed: admins,
  },
  "PATCH /api/v1/webhooks/{id}": {
    request: (f) => ({ path: `/api/v1/webhooks/${f.webhookId}`, method: "PATCH", body: { description: "changed" } }),
    allowed: admins,
  },
  "DELETE /api/v1/webhooks/{id}": {
    request: (f) => ({ path: `/api/v1/webhooks/${f.webhookId}`, method: "DELETE" }),
    allowed: admins,
  },
  "GET /api/v1/webhooks/{id}/deliveries": {
    request: (f) => ({ path: `/api/v1/webhooks/${f.webhookId}/deliveries`, method: "GET" }),
    allowed: admins,
  },
  "POST /api/v1/webhooks/{id}/deliveries/{d}/retry": {
    request: (f) => ({ path: `/api/v1/webhooks/${f.webhookId}/deliveries/${f.deliveryId}/retry`, method: "POST" }),
    allowed: admins,
  },
  "POST /api/v1/webhooks/{id}/test": {
    request: (f) => ({ path: `/api/v1/webhooks/${f.webhookId}/test`, method: "POST" }),
    allowed: admins,
  },
  "GET /api/v1/events/stream": { request: () => ({ path: "/api/v1/events/stream", method: "GET" }), allowed: admins },
};

// Routes a key calls that are not management by a member: the platform's verification (service token), the CLI's
// own sign-out (only for keys it issued), the leak report (no key), the route table and catalogue (service token).
const NOT_MEMBER_ROUTES = [
  /^POST \/api\/v1\/verify$/,
  /^\w+ \/api\/v1\/authorize$/,
  /^POST \/api\/v1\/cli\//,
  /^\w+ \/api\/v1\/(routes|health|ping|leaks|github|metrics)/,
  /^PUT \/api\/v1\/permissions$/,
];

// What any valid key may read whoever made it: the key itself and the instance's permission catalogue (no
// organization data); a key whose creator left still verifies for the platform's API.
const KEY_OWN_VIEW = ["GET /api/v1/whoami", "GET /api/v1/permissions"];

// A fresh organization with an owner, an admin, a developer and a viewer (whose admin key was made as a developer),
// each holding an admin-scope key; an owner's second key (another member's key for every actor); a webhook with one
// delivery. Returns the secret of `role`'s key and the fixture.
async function organizationFor(role: Role) {
  const users = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, await createUser(r)] as const)));
  const org = await createTeam(users.owner.id, [
    { userId: users.admin.id, role: "admin" },
    { userId: users.developer.id, role: "developer" },
    { userId: users.viewer.id, role: "developer" },
  ]);
  const make = (userId: string, as: OrgRole, name: string) =>
    createKey(
      { organizationId: org.id, userId, role: as },
      {
        name,
        environment: "test",
        scopes: ["admin"],
        expiresAt: null,
        ipAllowlist: [],
        rateLimit: null,
        credits: null,
      },
      { ip: null },
    );
  const acting = await make(users[role].id, role === "viewer" ? "developer" : role, `${role}-admin`);
  await db.membership.update({
    where: { organizationId_userId: { organizationId: org.id, userId: users.viewer.id } },
    data: { role: "viewer" },
  });
  const other = await make(users.owner.id, "owner", "owners-other");
  const { webhook } = await createWebhook(
    { organizationId: org.id, userId: users.owner.id, role: "owner" },
    { url: "https://93.184.215.14/hook", events: ["key.created"] },
    { ip: null },
  );
  const delivery = await sendTestEvent(org.id, webhook.id);
  await db.webhookDelivery.update({
    where: { id: delivery.id },
    data: { status: "failed", attempts: 8, nextAttemptAt: null },
  });
  const fixture: Fixture = {
    ownKeyId: acting.key.id,
    otherKeyId: other.key.id,
    webhookId: webhook.id,
    deliveryId: delivery.id,
  };
  return { org, users, secret: acting.secret, fixture };
}

// What a refusal must leave as it was: the organization's keys, webhooks and their deliveries.
async function snapshot(organizationId: string) {
  const [keys, webhooks, deliveries] = await Promise.all([
    db.apiKey.findMany({ where: { organizationId }, orderBy: { id: "asc" } }),
    db.webhookEndpoint.findMany({ where: { organizationId }, orderBy: { id: "asc" } }),
    db.webhookDelivery.findMany({ where: { endpoint: { organizationId } }, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ keys, webhooks, deliveries });
}

async function call(secret: string, req: { path: string; method: string; body?: unknown }) {
  const res = await api(apiRequest(req.path, { method: req.method, key: secret, body: req.body }));
  // The event stream stays open: only its status matters here.
  const body = res.headers.get("content-type")?.startsWith("text/event-stream")
    ? (await res.body?.cancel(), null)
    : await res.json().catch(() => null);
  return { status: res.status, body };
}

describe("REST management × the key creator's role", () => {
  it("the table names every key-authenticated route of the OpenAPI document", () => {
    const doc = openApiDocument as unknown as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => Array.isArray(op.security) && op.security.length > 0)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    const missing = routes.filter((r) => !(r in TABLE) && !NOT_MEMBER_ROUTES.some((p) => p.test(r)));
    expect(missing).toEqual([]);
    for (const name of Object.keys(TABLE)) expect(routes, name).toContain(name);
  });

  for (const [name, c] of Object.entries(TABLE)) {
    it(`${name}: ${c.allowed.join(", ")} allowed; the rest 403; a removed creator 403 creator_not_member`, async () => {
      for (const role of ROLES) {
        const { org, secret, fixture } = await organizationFor(role);
        const before = await snapshot(org.id);
        const res = await call(secret, c.request(fixture));
        if ((c.allowed as readonly Role[]).includes(role)) {
          expect(res.status, `${role}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(200);
          expect(res.status, `${role}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
        } else {
          expect(res.status, `${role}: ${JSON.stringify(res.body)}`).toBe(403);
          expect((res.body as { error: { code: string } }).error.code).toBe("forbidden");
          expect(await snapshot(org.id), `${role} changed something`).toBe(before);
        }
      }
      // The same key once its creator (a developer) left: nothing but its own view.
      const { org, users, secret, fixture } = await organizationFor("developer");
      await db.membership.delete({
        where: { organizationId_userId: { organizationId: org.id, userId: users.developer.id } },
      });
      const before = await snapshot(org.id);
      const res = await call(secret, c.request(fixture));
      if (KEY_OWN_VIEW.includes(name)) expect(res.status).toBe(200);
      else {
        expect(res.status, JSON.stringify(res.body)).toBe(403);
        expect((res.body as { error: object }).error).toMatchObject({
          code: "forbidden",
          reason: "creator_not_member",
        });
        expect(await snapshot(org.id)).toBe(before);
      }
    }, 60_000);
  }
});
