// /admin/routes' server actions: an instance administrator replaces the route table from its JSON document (every
// problem shown next to the one field, naming where it is), and asks which route a request meets. Others are refused.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { getRouteTable, routeTableBySpecificity } from "@/lib/routes/table";
import { withTestDb } from "../helpers/db";
import { createMemberAccount, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { saveRouteTableAction, testRouteAction } = await import("@/lib/actions/routes");

withTestDb();
let admin = { id: "", role: "ADMIN" };
let member = { id: "" };

const TABLE = {
  default: "deny",
  routes: [
    { method: "*", path: "/v1/*", scope: "read" },
    { method: "GET", path: "/v1/models/:id", cost: 2 },
    { method: "GET", path: "/v1/models/special", public: true },
  ],
};

beforeAll(async () => {
  const user = await createMemberAccount("routes-admin");
  await db.user.update({ where: { id: user.id }, data: { role: "ADMIN" } });
  admin = { id: user.id, role: "ADMIN" };
  member = await createMemberAccount("routes-member");
});

describe("/admin/routes actions", () => {
  it("a member who is not an instance administrator is refused", async () => {
    await signInAs(member.id);
    expect(await saveRouteTableAction({ table: JSON.stringify(TABLE) })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await testRouteAction({ method: "GET", path: "/v1/x" })).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("saves the table (audited) and lists it most specific first", async () => {
    await signInAs(admin.id);
    expect(await saveRouteTableAction({ table: JSON.stringify(TABLE) })).toEqual({ ok: true, data: { routes: 3 } });
    expect(await getRouteTable()).toEqual(TABLE);
    const ordered = await routeTableBySpecificity(admin);
    expect(ordered.routes.map((r) => r.path)).toEqual(["/v1/models/special", "/v1/models/:id", "/v1/*"]);
    const audit = await db.auditEvent.findFirst({ where: { action: "routes.updated", actorId: admin.id } });
    expect(audit).not.toBeNull();
  });

  it.each([
    ["{not json", "Not JSON"],
    [JSON.stringify({ routes: [{ method: "GET", path: "/a/*/b" }] }), "routes.0.path"],
    [JSON.stringify({ routes: [{ method: "GET", path: "/a", permissions: ["nope:nope"] }] }), "routes.0.permissions"],
  ])("shows what is wrong with %s next to the table field; nothing saved", async (table, words) => {
    await signInAs(admin.id);
    const result = await saveRouteTableAction({ table });
    expect(result).toMatchObject({ ok: false, code: "invalid_request" });
    expect(!result.ok && result.fieldErrors?.table).toContain(words);
    expect(await getRouteTable()).toEqual(TABLE);
  });

  it.each([
    ["GET", "/v1/models/special", "/v1/models/special", "public"],
    ["GET", "/v1/models/gpt", "/v1/models/:id", "key"],
    ["DELETE", "/v1/models/gpt", "/v1/*", "key"],
    ["GET", "/v2/x", null, "denied"],
  ])("tester: %s %s → %s (%s)", async (method, path, pattern, outcome) => {
    await signInAs(admin.id);
    const result = await testRouteAction({ method, path });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.route?.path ?? null).toBe(pattern);
    expect(result.data.outcome).toBe(outcome);
  });

  it("tester: a path that cannot be matched safely is a field error", async () => {
    await signInAs(admin.id);
    expect(await testRouteAction({ method: "GET", path: "/v1/../admin" })).toMatchObject({
      ok: false,
      fieldErrors: { path: expect.stringContaining("dot segments") },
    });
  });
});
