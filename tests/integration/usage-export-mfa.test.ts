// The dashboard's usage CSV export under the organization's MFA-required policy (issue 19, finding 9): a member without
// two-factor authentication gets 403 mfa_required and no CSV; once enrolled, the CSV; a non-member gets 404.
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { withTestDb } from "../helpers/db";
import { createUser } from "../helpers/keys";
import { createTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);

const { GET: exportRoute } = await import("@/app/(dashboard)/dashboard/[org]/usage/export/route");

withTestDb();

describe("usage CSV export and the MFA-required policy", () => {
  it("refuses a member without MFA with 403 mfa_required, serves the CSV once they enrol", async () => {
    const owner = await createUser("csv-owner");
    const admin = await createUser("csv-admin");
    const stranger = await createUser("csv-stranger");
    const org = await createTeam(owner.id, [{ userId: admin.id, role: "admin" }]);
    const exportCsv = () =>
      exportRoute(new Request(`http://localhost/dashboard/${org.slug}/usage/export?range=7d`), {
        params: Promise.resolve({ org: org.slug }),
      });

    // Without the policy: the CSV.
    await signInAs(admin.id);
    expect((await exportCsv()).status).toBe(200);

    await db.organization.update({ where: { id: org.id }, data: { requireMfa: true } });
    await db.user.update({ where: { id: admin.id }, data: { mfaEnabledAt: null } });
    const refused = await exportCsv();
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await refused.json()).error.code).toBe("mfa_required");

    await db.user.update({ where: { id: admin.id }, data: { mfaEnabledAt: new Date() } });
    await signInAs(admin.id);
    const served = await exportCsv();
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toMatch(/^text\/csv/);

    await signInAs(stranger.id);
    expect((await exportCsv()).status).toBe(404);
  });
});
