// The instance-level audit log (/admin): what instance administrators did — plan changes, suspensions of organizations
// and accounts, password-reset links — across organizations and accounts, with whom it concerned; members' own
// changes are not in it.
import { describe, expect, it } from "vitest";
import { changePlan, setOrganizationSuspended } from "@/lib/admin/organizations";
import { setAccountSuspended } from "@/lib/admin/accounts";
import { listAuditEvents } from "@/lib/audit";
import { issueResetLink } from "@/lib/auth/password-reset";
import { db } from "@/lib/db";
import { withTestDb } from "../helpers/db";
import { createUser, makeKey } from "../helpers/keys";
import { createTeam } from "../helpers/org-team";

withTestDb();

describe("the instance audit log", () => {
  it("lists the administrator's actions newest first with the organization or account concerned", async () => {
    const admin = await createUser("root");
    await db.user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
    const actor = { id: admin.id, role: "ADMIN" };
    const owner = await createUser("owner");
    const org = await createTeam(owner.id);
    await makeKey(owner.id, ["read"]);

    await changePlan(actor, { organizationId: org.id, plan: "PRO" }, "192.0.2.1");
    await setOrganizationSuspended(actor, { organizationId: org.id, suspended: true }, "192.0.2.1");
    await setAccountSuspended(actor, { userId: owner.id, suspended: true }, "192.0.2.1");
    await issueResetLink(actor, owner.id, "192.0.2.1");

    const { data } = await listAuditEvents({ instance: true }, { limit: 100 });
    expect(data.map((e) => e.action)).toEqual([
      "auth.password_reset_issued",
      "admin.account_suspended",
      "admin.organization_suspended",
      "admin.plan_changed",
    ]);
    expect(data.every((e) => e.actor?.email === admin.email && e.ip === "192.0.2.1")).toBe(true);
    expect(data[1]).toMatchObject({ subjectEmail: owner.email, organizationName: null });
    expect(data[3]).toMatchObject({ organizationName: "Acme", metadata: { from: "FREE", to: "PRO" } });
    // Members' own changes stay in their organization's log.
    expect(await db.auditEvent.count({ where: { action: "key.created" } })).toBeGreaterThan(0);
  });
});
