// Members through the real server actions as signed-in users: the list, role changes (owners only touch owners), the
// last owner protected, removal (keys stay), leaving, ownership transfer with step-up, and refusals: developers and
// viewers forbidden, non-members not_found. Only Next's request context (cookies, headers) is supplied by the test.
import { generateSync } from "otplib";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { createKey } from "@/lib/keys/service";
import { confirmEnrolment, startEnrolment } from "@/lib/mfa/service";
import { changeMemberRole, LAST_OWNER_DEMOTE, LAST_OWNER_LEAVE, listMembers } from "@/lib/orgs/members";
import { createOrganization, findMembership } from "@/lib/orgs/organizations";
import type { OrgRole } from "@/lib/orgs/roles";
import { withTestDb } from "../helpers/db";
import { redirectOf, withSession } from "../helpers/next-request";
import { signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const {
  changeMemberRoleAction,
  createInvitationAction,
  leaveOrganizationAction,
  removeMemberAction,
  revokeInvitationAction,
  transferOwnershipAction,
} = await import("@/lib/actions/members");

const db = withTestDb();
const password = "a long enough password";
const users: Record<"owner" | "admin" | "developer" | "viewer" | "outsider" | "mfaOwner", string> = {
  owner: "",
  admin: "",
  developer: "",
  viewer: "",
  outsider: "",
  mfaOwner: "",
};

// An organization owned by `owner` with the admin, developer and viewer as members.
async function newOrg(slug: string, owner = users.owner): Promise<string> {
  const org = await db.current.client.$transaction((tx) =>
    createOrganization(tx, { name: `Org ${slug}`, slug, ownerId: owner }),
  );
  const roles: [string, OrgRole][] = [
    [users.admin, "admin"],
    [users.developer, "developer"],
    [users.viewer, "viewer"],
  ];
  await db.current.client.membership.createMany({
    data: roles.map(([userId, role]) => ({ organizationId: org.id, userId, role })),
  });
  return org.id;
}

// The role-change action, as the signed-in user, for `userId` in the organization `slug`.
const changeRole = (slug: string, userId: string, role: OrgRole) => changeMemberRoleAction({ org: slug, userId, role });

async function roleIn(organizationId: string, userId: string): Promise<OrgRole | null> {
  const row = await db.current.client.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
  });
  return row?.role ?? null;
}

const auditOf = (organizationId: string, action: string) =>
  db.current.client.auditEvent.findMany({ where: { organizationId, action }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  for (const name of Object.keys(users) as (keyof typeof users)[]) {
    users[name] = (await createAccount({ email: `${name}@example.com`, password, confirmPassword: password }, null)).id;
  }
  const { secret } = await startEnrolment(users.admin);
  await confirmEnrolment(users.admin, generateSync({ secret }));
  const mfa = await startEnrolment(users.mfaOwner);
  await confirmEnrolment(users.mfaOwner, generateSync({ secret: mfa.secret }));
});

describe("the member list", () => {
  it("lists each member with email, role, MFA and join time, in join order", async () => {
    const orgId = await newOrg("list-org");
    const members = await listMembers(orgId);
    expect(members.map((m) => [m.email, m.role, m.mfa])).toEqual([
      ["owner@example.com", "owner", false],
      ["admin@example.com", "admin", true],
      ["developer@example.com", "developer", false],
      ["viewer@example.com", "viewer", false],
    ]);
    for (const m of members) expect(m.joinedAt).toBeInstanceOf(Date);
  });
});

describe("changing roles", () => {
  it("an admin changes a developer to viewer, audited with the organization and the actor", async () => {
    const orgId = await newOrg("roles-org");
    await signInAs(users.admin);
    const result = await changeMemberRoleAction({ org: "roles-org", userId: users.developer, role: "viewer" });
    expect(result).toMatchObject({ ok: true, data: { userId: users.developer, role: "viewer" } });
    expect(await roleIn(orgId, users.developer)).toBe("viewer");
    const [event] = await auditOf(orgId, "member.role_changed");
    expect(event).toMatchObject({
      organizationId: orgId,
      userId: users.developer,
      actorId: users.admin,
      metadata: { email: "developer@example.com", from: "developer", to: "viewer" },
    });
  });

  it("only owners make or unmake owners", async () => {
    const orgId = await newOrg("owners-only");
    await signInAs(users.admin);
    expect(await changeRole("owners-only", users.developer, "owner")).toMatchObject({ ok: false, code: "forbidden" });
    expect(await changeRole("owners-only", users.owner, "admin")).toMatchObject({ ok: false, code: "forbidden" });
    expect(await roleIn(orgId, users.developer)).toBe("developer");
    expect(await roleIn(orgId, users.owner)).toBe("owner");

    await signInAs(users.owner);
    expect(await changeRole("owners-only", users.developer, "owner")).toMatchObject({ ok: true });
    expect(await roleIn(orgId, users.developer)).toBe("owner");
    // With two owners, one may be demoted.
    expect(await changeRole("owners-only", users.developer, "admin")).toMatchObject({ ok: true });
  });

  it("the last owner cannot be demoted", async () => {
    const orgId = await newOrg("last-owner");
    await signInAs(users.owner);
    expect(await changeRole("last-owner", users.owner, "admin")).toEqual({
      ok: false,
      code: "conflict",
      message: LAST_OWNER_DEMOTE,
    });
    expect(await roleIn(orgId, users.owner)).toBe("owner");
  });

  it("two owners demoting each other at once leave one owner (the member lock serialises them)", async () => {
    for (let round = 0; round < 10; round++) {
      const slug = `mutual-demotion-${round}`;
      const orgId = await newOrg(slug);
      await db.current.client.membership.update({
        where: { organizationId_userId: { organizationId: orgId, userId: users.admin } },
        data: { role: "owner" },
      });
      const a = (await findMembership(users.owner, slug))!;
      const b = (await findMembership(users.admin, slug))!;
      const results = await Promise.allSettled([
        changeMemberRole(a, { userId: users.admin, role: "admin" }, { ip: null }),
        changeMemberRole(b, { userId: users.owner, role: "admin" }, { ip: null }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await db.current.client.membership.count({ where: { organizationId: orgId, role: "owner" } })).toBe(1);
    }
  });

  it("an unknown member is not_found on its field; an unknown role is an invalid_request on its field", async () => {
    await newOrg("bad-input");
    await signInAs(users.owner);
    expect(await changeMemberRoleAction({ org: "bad-input", userId: "nobody", role: "viewer" })).toMatchObject({
      ok: false,
      code: "not_found",
      fieldErrors: { userId: expect.any(String) },
    });
    const invalid = await changeMemberRoleAction({
      org: "bad-input",
      userId: users.viewer,
      role: "emperor" as OrgRole,
    });
    expect(invalid).toMatchObject({ ok: false, code: "invalid_request", fieldErrors: { role: expect.any(String) } });
  });
});

describe("refusals", () => {
  it("developers and viewers are forbidden every member change, and nothing changes", async () => {
    const orgId = await newOrg("refusals");
    const before = await listMembers(orgId);
    for (const who of [users.developer, users.viewer]) {
      await signInAs(who);
      const results = [
        await changeMemberRoleAction({ org: "refusals", userId: users.viewer, role: "admin" }),
        await removeMemberAction({ org: "refusals", userId: users.admin }),
        await transferOwnershipAction({ org: "refusals", userId: who }),
        await createInvitationAction({ org: "refusals", email: "someone@example.com", role: "viewer" }),
        await revokeInvitationAction({ org: "refusals", id: "whatever" }),
      ];
      for (const result of results) expect(result).toMatchObject({ ok: false, code: "forbidden" });
    }
    expect(await listMembers(orgId)).toEqual(before);
    expect(await db.current.client.invitation.count({ where: { organizationId: orgId } })).toBe(0);
  });

  it("a non-member gets not_found for the organization, for every action", async () => {
    const orgId = await newOrg("private-org");
    await signInAs(users.outsider);
    const results = [
      await changeMemberRoleAction({ org: "private-org", userId: users.viewer, role: "admin" }),
      await removeMemberAction({ org: "private-org", userId: users.viewer }),
      await leaveOrganizationAction({ org: "private-org" }),
      await transferOwnershipAction({ org: "private-org", userId: users.viewer }),
      await createInvitationAction({ org: "private-org", email: "someone@example.com", role: "viewer" }),
    ];
    for (const result of results)
      expect(result).toMatchObject({ ok: false, code: "not_found", fieldErrors: { org: expect.any(String) } });
    expect(await listMembers(orgId)).toHaveLength(4);
  });

  it("signed out, every action answers unauthenticated", async () => {
    await withSession(null);
    expect(await removeMemberAction({ org: "private-org", userId: users.viewer })).toMatchObject({
      ok: false,
      code: "unauthenticated",
    });
  });
});

describe("removing a member", () => {
  it("an admin removes a developer; the developer's keys stay with the organization", async () => {
    const orgId = await newOrg("removal");
    const { key } = await createKey(
      { organizationId: orgId, userId: users.developer, role: "developer" },
      { name: "dev key", environment: "test", scopes: ["read"], expiresAt: null, ipAllowlist: [], rateLimit: null },
      { ip: null },
    );
    await signInAs(users.admin);
    expect(await removeMemberAction({ org: "removal", userId: users.developer })).toEqual({
      ok: true,
      data: { keysRevoked: 0 },
    });
    expect(await roleIn(orgId, users.developer)).toBeNull();
    const kept = await db.current.client.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(kept).toMatchObject({ organizationId: orgId, createdById: users.developer, revokedAt: null });
    const [event] = await auditOf(orgId, "member.removed");
    expect(event).toMatchObject({ userId: users.developer, actorId: users.admin, metadata: { role: "developer" } });
    // The removed member no longer reaches the organization.
    await signInAs(users.developer);
    expect(await leaveOrganizationAction({ org: "removal" })).toMatchObject({ ok: false, code: "not_found" });
  });

  it("an admin cannot remove an owner; nobody removes themselves (that is leaving)", async () => {
    const orgId = await newOrg("no-remove-owner");
    await signInAs(users.admin);
    expect(await removeMemberAction({ org: "no-remove-owner", userId: users.owner })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    expect(await removeMemberAction({ org: "no-remove-owner", userId: users.admin })).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { userId: expect.any(String) },
    });
    expect(await listMembers(orgId)).toHaveLength(4);
  });
});

describe("leaving", () => {
  it("a viewer leaves and goes to the dashboard, audited", async () => {
    const orgId = await newOrg("leaving");
    await signInAs(users.viewer);
    expect(await redirectOf(leaveOrganizationAction({ org: "leaving" }))).toBe("/dashboard");
    expect(await roleIn(orgId, users.viewer)).toBeNull();
    expect(await auditOf(orgId, "member.left")).toMatchObject([{ userId: users.viewer, actorId: users.viewer }]);
  });

  it("the last owner cannot leave", async () => {
    const orgId = await newOrg("owner-stays");
    await signInAs(users.owner);
    expect(await leaveOrganizationAction({ org: "owner-stays" })).toEqual({
      ok: false,
      code: "conflict",
      message: LAST_OWNER_LEAVE,
    });
    expect(await roleIn(orgId, users.owner)).toBe("owner");
  });
});

describe("transferring ownership", () => {
  it("the owner hands over: the new owner is owner, the old one admin, audited", async () => {
    const orgId = await newOrg("handover");
    await signInAs(users.owner);
    expect(await transferOwnershipAction({ org: "handover", userId: users.developer })).toMatchObject({
      ok: true,
      data: { userId: users.developer, role: "owner" },
    });
    expect(await roleIn(orgId, users.developer)).toBe("owner");
    expect(await roleIn(orgId, users.owner)).toBe("admin");
    expect(await auditOf(orgId, "org.ownership_transferred")).toMatchObject([
      { userId: users.developer, actorId: users.owner, metadata: { from: users.owner, to: users.developer } },
    ]);
    // The old owner, now admin, can no longer transfer.
    expect(await transferOwnershipAction({ org: "handover", userId: users.owner })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
  });

  it("an admin cannot transfer; an owner cannot transfer to a non-member", async () => {
    await newOrg("no-transfer");
    await signInAs(users.admin, { stepUp: Date.now() });
    expect(await transferOwnershipAction({ org: "no-transfer", userId: users.admin })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    await signInAs(users.owner);
    expect(await transferOwnershipAction({ org: "no-transfer", userId: users.outsider })).toMatchObject({
      ok: false,
      code: "not_found",
      fieldErrors: { userId: expect.any(String) },
    });
  });

  it("an owner with MFA needs a fresh step-up", async () => {
    const orgId = await newOrg("stepped-up", users.mfaOwner);
    await signInAs(users.mfaOwner);
    expect(await transferOwnershipAction({ org: "stepped-up", userId: users.admin })).toMatchObject({
      ok: false,
      code: "step_up_required",
    });
    expect(await roleIn(orgId, users.mfaOwner)).toBe("owner");
    await signInAs(users.mfaOwner, { stepUp: Date.now() });
    expect(await transferOwnershipAction({ org: "stepped-up", userId: users.admin })).toMatchObject({ ok: true });
    expect(await roleIn(orgId, users.admin)).toBe("owner");
    expect(await roleIn(orgId, users.mfaOwner)).toBe("admin");
  });
});
