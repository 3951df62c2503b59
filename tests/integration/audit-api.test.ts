// The audit log API (GET /api/v1/audit) and its NDJSON export: only admins and owners (keys acting as them) read it, a
// key of a removed creator gets nothing, filters narrow it and bad ones answer 400 naming the field, events carry the
// acting key, and the opaque cursor pages 10,000 events without a gap or a repeat while new events arrive.
process.env.KEYHOLD_SERVICE_TOKEN = "service-token-for-tests-0123456789";

import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import type { Scope } from "@/lib/generated/prisma/enums";
import { createKey } from "@/lib/keys/service";
import type { OrgRole } from "@/lib/orgs/roles";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser } from "../helpers/keys";
import { createTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);

const { GET: exportRoute } = await import("@/app/(dashboard)/dashboard/[org]/audit/export/route");

withTestDb();

type AuditEvent = {
  id: string;
  action: string;
  at: string;
  organizationId: string | null;
  actor: {
    type: string;
    userId: string | null;
    email: string | null;
    keyId: string | null;
    keyPrefix: string | null;
    keyName: string | null;
  };
  target: { userId: string | null; keyId: string | null; keyName: string | null; keyPrefix: string | null };
  metadata: unknown;
  ip: string | null;
};
type AuditPage = { data: AuditEvent[]; nextCursor: string | null };

async function keyOf(
  orgId: string,
  userId: string,
  scopes: Scope[],
  name = `k-${Math.random().toString(36).slice(2)}`,
) {
  return createKey(
    { organizationId: orgId, userId, role: "owner" },
    { name, environment: "test", scopes, expiresAt: null, ipAllowlist: [], rateLimit: null, credits: null },
    { ip: "203.0.113.9" },
  );
}

const get = (path: string, key: string) => api(apiRequest(path, { key }));

async function page(path: string, key: string): Promise<AuditPage> {
  const res = await get(path, key);
  expect(res.status, path).toBe(200);
  return (await res.json()) as AuditPage;
}

// A team with one member per role, each holding an admin-scope key (made while they were owners, then given the role).
async function team() {
  const users = {
    owner: await createUser("owner"),
    admin: await createUser("admin"),
    developer: await createUser("dev"),
    viewer: await createUser("viewer"),
  };
  const org = await createTeam(users.owner.id, [
    { userId: users.admin.id, role: "owner" },
    { userId: users.developer.id, role: "owner" },
    { userId: users.viewer.id, role: "owner" },
  ]);
  const keys = {} as Record<OrgRole, Awaited<ReturnType<typeof keyOf>>>;
  for (const role of ["owner", "admin", "developer", "viewer"] as const) {
    keys[role] = await keyOf(org.id, users[role].id, ["admin"], `${role}-key`);
    await db.membership.update({
      where: { organizationId_userId: { organizationId: org.id, userId: users[role].id } },
      data: { role },
    });
  }
  return { org, users, keys };
}

describe("GET /api/v1/audit: who may read it", () => {
  it("answers keys acting as admins and owners; developers, viewers and read keys are refused", async () => {
    const { org, users, keys } = await team();
    for (const role of ["owner", "admin"] as const) {
      const body = await page("/api/v1/audit", keys[role].secret);
      expect(body.data.length, role).toBeGreaterThan(0);
      expect(body.data.every((e) => e.organizationId === org.id)).toBe(true);
    }
    for (const role of ["developer", "viewer"] as const) {
      const res = await get("/api/v1/audit", keys[role].secret);
      expect(res.status, role).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    }
    const read = await keyOf(org.id, users.owner.id, ["read"]);
    const res = await get("/api/v1/audit", read.secret);
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("insufficient_scope");
  });

  it("a key whose creator was removed gets nothing (creator_not_member); another organization's events never show", async () => {
    const { org, users, keys } = await team();
    const other = await createUser("other");
    const otherOrg = await createTeam(other.id);
    const otherKey = await keyOf(otherOrg.id, other.id, ["admin"]);
    await db.membership.delete({
      where: { organizationId_userId: { organizationId: org.id, userId: users.admin.id } },
    });
    const res = await get("/api/v1/audit", keys.admin.secret);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatchObject({ code: "forbidden", reason: "creator_not_member" });
    const theirs = await page("/api/v1/audit?limit=100", otherKey.secret);
    expect(theirs.data.length).toBeGreaterThan(0);
    expect(theirs.data.every((e) => e.organizationId === otherOrg.id)).toBe(true);
  });
});

describe("GET /api/v1/audit: events and filters", () => {
  it("shows the acting key and its creator, the target key, and filters by action, actor, acting key and time", async () => {
    const { users, keys } = await team();
    const before = new Date(Date.now() - 1);
    const patched = await api(
      apiRequest(`/api/v1/keys/${keys.developer.key.id}`, {
        method: "PATCH",
        key: keys.admin.secret,
        body: { name: "renamed-by-admin" },
      }),
    );
    expect(patched.status).toBe(200);

    const byKey = await page(`/api/v1/audit?keyId=${keys.admin.key.id}`, keys.owner.secret);
    expect(byKey.data).toHaveLength(1);
    const [event] = byKey.data;
    expect(event).toMatchObject({
      action: "key.updated",
      actor: {
        type: "key",
        userId: users.admin.id,
        email: users.admin.email,
        keyId: keys.admin.key.id,
        keyPrefix: keys.admin.key.prefix,
        keyName: "admin-key",
      },
      target: { keyId: keys.developer.key.id, keyName: "renamed-by-admin", keyPrefix: keys.developer.key.prefix },
    });
    expect(Object.keys(event).sort()).toEqual(
      ["action", "actor", "at", "id", "ip", "metadata", "organizationId", "target"].sort(),
    );
    expect(new Date(event.at).getTime()).toBeGreaterThanOrEqual(before.getTime());

    const created = await page("/api/v1/audit?action=key.created&limit=100", keys.owner.secret);
    expect(created.data.map((e) => e.target.keyName).sort()).toEqual(
      // Target keys by their current names.
      ["admin-key", "renamed-by-admin", "owner-key", "viewer-key"].sort(),
    );
    const byActor = await page(`/api/v1/audit?actorId=${users.admin.id}`, keys.owner.secret);
    expect(byActor.data.length).toBeGreaterThan(0);
    expect(byActor.data.every((e) => e.actor.userId === users.admin.id)).toBe(true);

    const from = encodeURIComponent(before.toISOString());
    const since = await page(`/api/v1/audit?from=${from}`, keys.owner.secret);
    expect(since.data.map((e) => e.id)).toEqual([event.id]);
    const until = await page(`/api/v1/audit?to=${from}&limit=100`, keys.owner.secret);
    expect(until.data.map((e) => e.id)).not.toContain(event.id);
    expect(until.data.length).toBeGreaterThan(0);
  });

  it("keeps the time range across pages (from/to with a cursor)", async () => {
    const { org, users, keys } = await team();
    const base = Date.now() - 60_000;
    await db.auditEvent.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        organizationId: org.id,
        userId: users.owner.id,
        action: "key.updated",
        createdAt: new Date(base + i * 1000),
      })),
    });
    const from = new Date(base + 10_000).toISOString();
    const to = new Date(base + 20_000).toISOString();
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const body: AuditPage = await page(
        `/api/v1/audit?from=${from}&to=${to}&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        keys.owner.secret,
      );
      for (const e of body.data) {
        expect(e.at >= from && e.at < to, e.at).toBe(true);
        ids.push(e.id);
      }
      cursor = body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(10);
  });

  it.each([
    ["action=key.exploded", "action"],
    ["actorId=" + encodeURIComponent("a b"), "actorId"],
    ["keyId=" + "x".repeat(65), "keyId"],
    ["from=yesterday", "from"],
    ["to=2026-13-01T00:00:00Z", "to"],
    ["from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"],
    ["limit=101", "limit"],
    ["limit=0", "limit"],
    ["limit=ten", "limit"],
    ["cursor=not-a-cursor", "cursor"],
    ["cursor=" + Buffer.from("1.bad id").toString("base64url"), "cursor"],
  ])("%s answers 400 invalid_request naming %s", async (query, field) => {
    const { keys } = await team();
    const res = await get(`/api/v1/audit?${query}`, keys.owner.secret);
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("invalid_request");
    expect(error.message.startsWith(`${field}: `), error.message).toBe(true);
  });
});

describe("GET /api/v1/audit: pagination", () => {
  it("pages 10,000 events (many sharing a millisecond) without a gap or a repeat while new events arrive", async () => {
    const { org, users, keys } = await team();
    // 101 pages in a minute: the enterprise plan's rate limit.
    await db.organization.update({ where: { id: org.id }, data: { plan: "ENTERPRISE" } });
    const base = Date.now() - 3_600_000;
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      id: `bulk${String(i).padStart(5, "0")}${Math.random().toString(36).slice(2, 8)}`,
      organizationId: org.id,
      userId: users.owner.id,
      actorId: users.owner.id,
      actorType: "user",
      action: "key.updated",
      // 50 events per millisecond: the cursor must order ties by id.
      createdAt: new Date(base + Math.floor(i / 50)),
    }));
    await db.auditEvent.createMany({ data: rows });
    const expected = new Set([
      ...rows.map((r) => r.id),
      ...(await db.auditEvent.findMany({ where: { organizationId: org.id }, select: { id: true } })).map((r) => r.id),
    ]);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body: AuditPage = await page(
        `/api/v1/audit?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        keys.owner.secret,
      );
      seen.push(...body.data.map((e) => e.id));
      cursor = body.nextCursor;
      pages += 1;
      // Events recorded while paging are newer than every cursor handed out: they never shift later pages.
      if (pages % 20 === 0)
        await db.auditEvent.create({
          data: { organizationId: org.id, userId: users.owner.id, actorId: users.owner.id, action: "key.updated" },
        });
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(expected.size);
    expect(new Set(seen)).toEqual(expected);
    // Newest first throughout.
    const times = (
      await db.auditEvent.findMany({ where: { id: { in: seen } }, select: { id: true, createdAt: true } })
    ).reduce((m, r) => m.set(r.id, r.createdAt.getTime()), new Map<string, number>());
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [times.get(seen[i - 1])!, times.get(seen[i])!];
      expect(a > b || (a === b && seen[i - 1] > seen[i])).toBe(true);
    }
  }, 120_000);
});

describe("the NDJSON export", () => {
  it("streams every event of the organization, one JSON event per line, for admins and owners only", async () => {
    const { org, users } = await team();
    await db.auditEvent.createMany({
      data: Array.from({ length: 250 }, (_, i) => ({
        organizationId: org.id,
        userId: users.owner.id,
        actorId: users.owner.id,
        actorType: "user",
        action: "key.updated",
        createdAt: new Date(Date.now() - 10_000 + i),
      })),
    });
    const total = await db.auditEvent.count({ where: { organizationId: org.id } });
    const exportOf = (query = "") =>
      exportRoute(new Request(`http://localhost/dashboard/${org.slug}/audit/export${query}`), {
        params: Promise.resolve({ org: org.slug }),
      });

    await signInAs(users.admin.id);
    const res = await exportOf();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="keyhold-audit-.*\.ndjson"/);
    const lines = (await res.text()).split("\n");
    expect(lines.pop()).toBe("");
    const events = lines.map((l) => JSON.parse(l) as AuditEvent);
    expect(events).toHaveLength(total);
    expect(new Set(events.map((e) => e.id)).size).toBe(total);
    expect(events.every((e) => e.organizationId === org.id && typeof e.actor.type === "string")).toBe(true);

    const filtered = await exportOf("?action=key.created");
    expect((await filtered.text()).trim().split("\n")).toHaveLength(4);
    const bad = await exportOf("?from=soon");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^from: /);

    for (const role of ["developer", "viewer"] as const) {
      await signInAs(users[role].id);
      const refused = await exportOf();
      expect(refused.status, role).toBe(403);
    }
  });
});
