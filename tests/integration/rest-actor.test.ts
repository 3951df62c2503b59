// A key-authenticated management call acts as the key's creator, with their current role capped by the key's scopes
// (issue 19, finding 2), edits pass the approval policy as a creation would (finding 3), raising credits or a rate
// limit is an admin's change (finding 4), and the audit trail names the acting key (finding 9).
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createKey } from "@/lib/keys/service";
import type { OrgRole } from "@/lib/orgs/roles";
import type { Scope } from "@/lib/generated/prisma/enums";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser, keyInput } from "../helpers/keys";
import { createTeam } from "../helpers/org-team";

withTestDb();

async function team() {
  const owner = await createUser("owner");
  const developer = await createUser("dev");
  const org = await createTeam(owner.id, [{ userId: developer.id, role: "developer" }]);
  return { org, owner, developer };
}

async function keyOf(orgId: string, userId: string, role: OrgRole, scopes: Scope[], extra: object = {}) {
  return createKey({ organizationId: orgId, userId, role }, keyInput({ scopes, ...extra }), { ip: null });
}

const call = (path: string, key: string, method = "GET", body?: unknown) =>
  api(apiRequest(path, { method, key, body }));

describe("REST management as the key's creator", () => {
  it("a developer's admin-scope key cannot rotate or rename an admin's key, nor create webhooks; its own key it can", async () => {
    const { org, owner, developer } = await team();
    const ownersKey = await keyOf(org.id, owner.id, "owner", ["read"]);
    const devAdminKey = await keyOf(org.id, developer.id, "developer", ["admin"]);
    const devOwn = await keyOf(org.id, developer.id, "developer", ["read"]);
    const rotate = await call(`/api/v1/keys/${ownersKey.key.id}/rotate`, devAdminKey.secret, "POST", {});
    expect(rotate.status).toBe(403);
    expect(JSON.stringify(await rotate.json())).not.toContain("kh_test_");
    expect((await call(`/api/v1/keys/${ownersKey.key.id}`, devAdminKey.secret, "PATCH", { name: "x" })).status).toBe(
      403,
    );
    const hook = await call("/api/v1/webhooks", devAdminKey.secret, "POST", {
      url: "https://93.184.215.14/h",
      events: ["key.created"],
    });
    expect(hook.status).toBe(403);
    expect((await call(`/api/v1/keys/${devOwn.key.id}`, devAdminKey.secret, "PATCH", { name: "mine" })).status).toBe(
      200,
    );
    // Keys it creates are the developer's.
    const created = await call("/api/v1/keys", devAdminKey.secret, "POST", {
      name: "by-key",
      scopes: ["read"],
      environment: "test",
    });
    expect(created.status).toBe(201);
    expect((await created.json()).key.createdBy).toBe(developer.id);
  });

  it("an owner's read key acts as a viewer: it lists keys but cannot change them (admin scope is refused first)", async () => {
    const { org, owner } = await team();
    const read = await keyOf(org.id, owner.id, "owner", ["read"]);
    expect((await call("/api/v1/keys", read.secret)).status).toBe(200);
    const patch = await call(`/api/v1/keys/${read.key.id}`, read.secret, "PATCH", { name: "x" });
    expect(patch.status).toBe(403);
  });

  it("after the creator is removed the key verifies but manages nothing (creator_not_member)", async () => {
    const { org, owner, developer } = await team();
    const devKey = await keyOf(org.id, developer.id, "developer", ["admin"]);
    expect((await call("/api/v1/keys", devKey.secret)).status).toBe(200);
    await db.membership.delete({ where: { organizationId_userId: { organizationId: org.id, userId: developer.id } } });
    for (const [path, method, body] of [
      ["/api/v1/keys", "GET", undefined],
      ["/api/v1/keys", "POST", { name: "n", scopes: ["admin"], environment: "test" }],
      ["/api/v1/members", "GET", undefined],
      ["/api/v1/usage", "GET", undefined],
      [`/api/v1/keys/${devKey.key.id}/revoke`, "POST", undefined],
    ] as const) {
      const res = await call(path, devKey.secret, method, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await res.json()).error).toMatchObject({ code: "forbidden", reason: "creator_not_member" });
    }
    // Still a key for the platform's API.
    expect((await call("/api/v1/whoami", devKey.secret)).status).toBe(200);
    const ownersKey = await keyOf(org.id, owner.id, "owner", ["admin"]);
    expect((await call("/api/v1/keys", ownersKey.secret)).status).toBe(200);
  });

  it("records the acting key and its creator in the audit trail", async () => {
    const { org, developer } = await team();
    const devKey = await keyOf(org.id, developer.id, "developer", ["admin"]);
    const res = await call(`/api/v1/keys/${devKey.key.id}`, devKey.secret, "PATCH", { name: "renamed" });
    expect(res.status).toBe(200);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "key.updated", keyId: devKey.key.id } });
    expect(event).toMatchObject({
      actorType: "key",
      actorId: developer.id,
      actorKeyId: devKey.key.id,
      actorKeyPrefix: devKey.key.prefix,
    });
  });
});

describe("edits pass the policies a creation would", () => {
  it("under 'always' a developer cannot widen an approved read key, but may narrow or rename it", async () => {
    const { org, developer } = await team();
    const key = await keyOf(org.id, developer.id, "developer", ["write"]);
    await db.organization.update({ where: { id: org.id }, data: { keyRequestPolicy: "always" } });
    const { updateKey } = await import("@/lib/keys/service");
    const actor = { organizationId: org.id, userId: developer.id, role: "developer" as const };
    await expect(updateKey(actor, key.key.id, { scopes: ["admin"] }, { ip: null })).rejects.toMatchObject({
      reason: "approval_required",
    });
    await expect(
      updateKey(actor, key.key.id, { permissions: [], scopes: ["read"] }, { ip: null }),
    ).resolves.toMatchObject({ scopes: ["read"] });
    await expect(updateKey(actor, key.key.id, { name: "renamed" }, { ip: null })).resolves.toMatchObject({
      name: "renamed",
    });
  });

  it("a developer cannot raise or remove credits or raise a rate limit; an admin can", async () => {
    const { org, owner, developer } = await team();
    const { updateKey } = await import("@/lib/keys/service");
    const key = await keyOf(org.id, developer.id, "developer", ["read"], {
      credits: { remaining: 10, refill: null },
      rateLimit: 30,
    });
    const dev = { organizationId: org.id, userId: developer.id, role: "developer" as const };
    for (const change of [
      { credits: { remaining: 1_000_000_000, refill: null } },
      { credits: null },
      { rateLimit: 60 },
      { rateLimit: null },
    ])
      await expect(updateKey(dev, key.key.id, change, { ip: null }), JSON.stringify(change)).rejects.toMatchObject({
        code: "forbidden",
      });
    await expect(
      updateKey(dev, key.key.id, { credits: { remaining: 5, refill: null }, rateLimit: 10 }, { ip: null }),
    ).resolves.toMatchObject({ rateLimit: 10 });
    const admin = { organizationId: org.id, userId: owner.id, role: "owner" as const };
    await expect(updateKey(admin, key.key.id, { credits: null, rateLimit: 60 }, { ip: null })).resolves.toMatchObject({
      credits: null,
      rateLimit: 60,
    });
  });
});
