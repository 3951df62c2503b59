// Organization settings through the real actions as signed-in users: a new organization (slug rules, uniqueness),
// name and slug (admins only, a taken slug is a field error, a new slug moves the URL), deletion (owners only, with a
// step-up and the slug typed; never a personal organization; its keys stop verifying at once).
import { beforeAll, describe, expect, it, vi } from "vitest";
import { verifyKey } from "@/lib/keys/verify";
import { withTestDb } from "../helpers/db";
import { redirectOf } from "../helpers/next-request";
import { createMemberAccounts, createTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { createOrganizationAction, updateOrganizationAction, deleteOrganizationAction } =
  await import("@/lib/actions/organizations");
const { generateKeyAction } = await import("@/lib/actions/keys");

const db = withTestDb();
const ids = { owner: "", admin: "", developer: "", viewer: "", outsider: "" };

beforeAll(async () => {
  Object.assign(
    ids,
    await createMemberAccounts({ owner: true, admin: false, developer: false, viewer: false, outsider: false }),
  );
});

// A team owned by the owner, with an admin, a developer and a viewer.
function team(slug?: string) {
  return createTeam(
    ids.owner,
    [
      { userId: ids.admin, role: "admin" },
      { userId: ids.developer, role: "developer" },
      { userId: ids.viewer, role: "viewer" },
    ],
    slug,
  );
}

describe("new organization", () => {
  it("creates it with the user as owner, audited, and opens it", async () => {
    await signInAs(ids.developer);
    expect(await redirectOf(createOrganizationAction({ name: "Rocket Labs", slug: "rocket" }))).toBe(
      "/dashboard/rocket",
    );
    const org = await db.current.client.organization.findUniqueOrThrow({ where: { slug: "rocket" } });
    expect(org).toMatchObject({ name: "Rocket Labs", personal: false });
    expect(await db.current.client.membership.findFirst({ where: { organizationId: org.id } })).toMatchObject({
      userId: ids.developer,
      role: "owner",
    });
    expect(
      await db.current.client.auditEvent.findFirst({ where: { organizationId: org.id, action: "org.created" } }),
    ).toMatchObject({ userId: ids.developer, metadata: { name: "Rocket Labs", slug: "rocket" } });
  });

  it("without a slug, derives one from the name", async () => {
    await signInAs(ids.developer);
    expect(await redirectOf(createOrganizationAction({ name: "Blue Sky Inc.", slug: "" }))).toBe(
      "/dashboard/blue-sky-inc",
    );
  });

  it("a taken, reserved or malformed slug, or a missing name, is a field error and creates nothing", async () => {
    await signInAs(ids.viewer);
    const before = await db.current.client.organization.count();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ name: "Copy", slug: "rocket" }, "slug", /taken/],
      [{ name: "New", slug: "new" }, "slug", /reserved/],
      [{ name: "Settings", slug: "settings" }, "slug", /reserved/],
      [{ name: "Bad", slug: "-bad-" }, "slug", /letters, digits/],
      [{ name: "Bad", slug: "Has Space" }, "slug", /letters, digits/],
      [{ name: "", slug: "empty-name" }, "name", /required/],
    ];
    for (const [input, field, message] of cases) {
      const result = await createOrganizationAction(input as { name: string });
      expect(result, JSON.stringify(input)).toMatchObject({ ok: false, code: "invalid_request" });
      expect(result.ok ? {} : result.fieldErrors?.[field], JSON.stringify(input)).toMatch(message);
    }
    expect(await db.current.client.organization.count()).toBe(before);
  });

  it("signed out: refused", async () => {
    await signInAs(ids.viewer);
    const { withSession } = await import("../helpers/next-request");
    await withSession(null);
    expect(await createOrganizationAction({ name: "Anon" })).toMatchObject({ ok: false, code: "unauthenticated" });
  });
});

describe("name and slug", () => {
  it("developers and viewers are refused; outsiders do not find it", async () => {
    const org = await team();
    for (const [id, code] of [
      [ids.developer, "forbidden"],
      [ids.viewer, "forbidden"],
      [ids.outsider, "not_found"],
    ] as const) {
      await signInAs(id);
      expect(await updateOrganizationAction({ org: org.slug, name: "Hacked", slug: org.slug })).toMatchObject({
        ok: false,
        code,
      });
    }
    expect(await db.current.client.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({
      name: "Acme",
    });
  });

  it("an admin renames it (audited); a taken slug is a field error", async () => {
    const org = await team();
    await signInAs(ids.admin);
    expect(await updateOrganizationAction({ org: org.slug, name: "Acme Corp", slug: org.slug })).toMatchObject({
      ok: true,
      data: { name: "Acme Corp", slug: org.slug },
    });
    expect(
      await db.current.client.auditEvent.findFirst({ where: { organizationId: org.id, action: "org.updated" } }),
    ).toMatchObject({ userId: ids.admin, metadata: { name: { from: "Acme", to: "Acme Corp" } } });
    expect(await updateOrganizationAction({ org: org.slug, name: "Acme Corp", slug: "rocket" })).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { slug: expect.stringMatching(/taken/) },
    });
  });

  it("a new slug moves the organization's URLs", async () => {
    const org = await team();
    await signInAs(ids.admin);
    expect(await redirectOf(updateOrganizationAction({ org: org.slug, name: "Acme", slug: "acme-moved" }))).toBe(
      "/dashboard/acme-moved/settings",
    );
    expect(await db.current.client.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({
      slug: "acme-moved",
    });
    expect(await updateOrganizationAction({ org: org.slug, name: "Acme", slug: "x" })).toMatchObject({
      ok: false,
      code: "not_found",
    });
  });
});

describe("deleting the organization", () => {
  it("admins and below are refused; a wrong confirmation is a field error; a personal one cannot be deleted", async () => {
    const org = await team();
    for (const id of [ids.admin, ids.developer, ids.viewer]) {
      await signInAs(id);
      expect(await deleteOrganizationAction({ org: org.slug, confirmation: org.slug })).toMatchObject({
        ok: false,
        code: "forbidden",
      });
    }
    await signInAs(ids.owner, { stepUp: true });
    expect(await deleteOrganizationAction({ org: org.slug, confirmation: "acme" })).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { confirmation: expect.stringContaining(org.slug) },
    });
    const personal = await db.current.client.organization.findFirstOrThrow({
      where: { personal: true, memberships: { some: { userId: ids.owner } } },
    });
    expect(await deleteOrganizationAction({ org: personal.slug, confirmation: personal.slug })).toMatchObject({
      ok: false,
      code: "forbidden",
      message: /personal/,
    });
    expect(await db.current.client.organization.count({ where: { id: { in: [org.id, personal.id] } } })).toBe(2);
  });

  it("needs a step-up when the owner has MFA", async () => {
    const org = await team();
    await signInAs(ids.owner);
    expect(await deleteOrganizationAction({ org: org.slug, confirmation: org.slug })).toMatchObject({
      ok: false,
      code: "step_up_required",
    });
    expect(await db.current.client.organization.count({ where: { id: org.id } })).toBe(1);
  });

  it("removes the organization with its keys (they stop verifying at once), memberships and requests; audited", async () => {
    const org = await team();
    await signInAs(ids.developer);
    const created = await generateKeyAction({ org: org.slug, name: "doomed", environment: "live", scopes: ["read"] });
    if (!created.ok) throw new Error(created.message);
    const { secret } = created.data;
    // Verified once, so the key's record sits in the in-process cache.
    expect(await verifyKey({ secret })).toMatchObject({ ok: true });
    await db.current.client.keyRequest.create({
      data: {
        organizationId: org.id,
        requesterId: ids.developer,
        name: "pending",
        environment: "live",
        scopes: ["read"],
        reason: "r",
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });

    await signInAs(ids.owner, { stepUp: true });
    expect(await redirectOf(deleteOrganizationAction({ org: org.slug, confirmation: org.slug }))).toBe("/dashboard");

    expect(await verifyKey({ secret })).toMatchObject({ ok: false, code: "invalid_key" });
    expect(await db.current.client.organization.count({ where: { id: org.id } })).toBe(0);
    expect(await db.current.client.apiKey.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await db.current.client.membership.count({ where: { organizationId: org.id } })).toBe(0);
    expect(await db.current.client.keyRequest.count({ where: { organizationId: org.id } })).toBe(0);
    const event = await db.current.client.auditEvent.findFirstOrThrow({ where: { action: "org.deleted" } });
    expect(event).toMatchObject({
      organizationId: null,
      userId: ids.owner,
      metadata: { organizationId: org.id, slug: org.slug, name: "Acme", keys: 1, members: 4 },
    });
  });
});
