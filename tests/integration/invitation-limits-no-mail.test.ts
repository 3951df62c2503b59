// Without SMTP no invitation mail goes out (the admin copies the link), so the per-address limit does not apply; the
// per-organization limit does, and INVITATIONS_PER_ORGANIZATION_PER_HOUR sets it.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createInvitation } from "@/lib/orgs/invitations";
import { findMembership } from "@/lib/orgs/organizations";
import type { OrgMember } from "@/lib/orgs/organizations";
import { withTestDb } from "../helpers/db";
import { createMemberAccount, createTeam } from "../helpers/org-team";

vi.stubEnv("SMTP_URL", "");
vi.stubEnv("INVITATIONS_PER_ORGANIZATION_PER_HOUR", "12");

withTestDb();
const meta = { ip: null };
let team: OrgMember;

beforeAll(async () => {
  const owner = await createMemberAccount("owner");
  team = (await findMembership(owner.id, (await createTeam(owner.id)).slug))!;
});

describe("invitation limits without mail", () => {
  it("one address invited 10 times (nothing mailed) is fine; the organization's 13th invitation in an hour is refused", async () => {
    for (let i = 0; i < 10; i++)
      await expect(createInvitation(team, { email: "same@example.com", role: "viewer" }, meta)).resolves.toMatchObject({
        mailed: false,
      });
    for (const email of ["a@example.com", "b@example.com"])
      await expect(createInvitation(team, { email, role: "viewer" }, meta)).resolves.toMatchObject({ mailed: false });
    await expect(createInvitation(team, { email: "c@example.com", role: "viewer" }, meta)).rejects.toMatchObject({
      code: "rate_limited",
      reason: "invitations_per_organization",
      message: expect.stringMatching(/^This organization has sent 12 invitations in the last hour, the most allowed/),
    });
  });
});
