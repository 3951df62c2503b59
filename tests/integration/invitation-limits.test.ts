// Invitation mail is no spam cannon: an organization sends at most 20 invitations an hour, and one address receives at
// most 3 invitation mails a day across all organizations — counted in the database inside the inviting transaction, so
// the limits hold for concurrent invitations (on PostgreSQL: concurrent transactions, as several processes make them).
// The refusal is rate_limited with a message naming the limit (on the email field for the per-address one).
// An invitation to a suspended organization is refused and stays pending, so it works once the organization is restored.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mailIdle } from "@/lib/mail";
import { acceptInvitation, createInvitation, getInvitation } from "@/lib/orgs/invitations";
import { findMembership } from "@/lib/orgs/organizations";
import { withTestDb } from "../helpers/db";
import { createMemberAccount, createTeam, signInAs } from "../helpers/org-team";
import { redirectOf } from "../helpers/next-request";
import { startMailInbox } from "../helpers/smtp";

const mailServer = await startMailInbox();

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { acceptInvitationAction, createInvitationAction } = await import("@/lib/actions/members");

const db = withTestDb();
const meta = { ip: null };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

afterAll(async () => {
  await mailIdle();
  await mailServer.close();
});

let ownerId = "";

beforeAll(async () => {
  ownerId = (await createMemberAccount("owner")).id;
});

// A new team organization of the owner, and the owner as its acting member.
async function newTeam() {
  const team = await createTeam(ownerId);
  return (await findMembership(ownerId, team.slug))!;
}

const mailsTo = async (address: string) => {
  await mailIdle();
  return mailServer.inbox.filter((m) => m.to === address).length;
};

// An invitation to join `team` as a viewer, sent at `at`.
const inviteViewerAt = (team: Parameters<typeof createInvitation>[0], email: string, at: Date) =>
  createInvitation(team, { email, role: "viewer" }, meta, at);

describe("per address, across organizations (mail on)", () => {
  it("a self-signed-up account inviting one address 40 times sends 3 mails; the rest are refused on the email field", async () => {
    // What the review did: a fresh account, its personal organization, the same victim again and again.
    const attacker = await createMemberAccount("attacker");
    const personal = (await db.current.client.organization.findUniqueOrThrow({
      where: { id: attacker.lastOrganizationId! },
    }))!;
    await signInAs(attacker.id);
    const results = [];
    for (let i = 0; i < 40; i++)
      results.push(await createInvitationAction({ org: personal.slug, email: "victim@example.com", role: "viewer" }));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(37);
    for (const r of refused)
      expect(r).toMatchObject({
        ok: false,
        code: "rate_limited",
        fieldErrors: {
          email: expect.stringMatching(
            /^victim@example\.com has been sent 3 invitations in the last 24 hours, the most one address may receive: try again in \d+ hours\.$/,
          ),
        },
      });
    expect(await mailsTo("victim@example.com")).toBe(3);
  });

  // Concurrency stays near the connection pool's size (10): beyond it, transactions queue for a connection and Prisma
  // gives up after 2 s (P2028) on a loaded machine, which is not what this test is about.
  it("12 concurrent invitations to one address from 12 organizations: exactly 3 go out", async () => {
    const teams = await Promise.all(Array.from({ length: 12 }, () => newTeam()));
    const outcomes = await Promise.allSettled(
      teams.map((team) => createInvitation(team, { email: "target@example.com", role: "viewer" }, meta)),
    );
    const reasons = outcomes.flatMap((o) =>
      o.status === "rejected" ? [o.reason as { code?: string; reason?: string }] : [],
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(3);
    expect(reasons.map((e) => [e.code, e.reason])).toEqual(
      Array.from({ length: 9 }, () => ["rate_limited", "invitations_per_address"]),
    );
    expect(await db.current.client.invitation.count({ where: { email: "target@example.com" } })).toBe(3);
    expect(await mailsTo("target@example.com")).toBe(3);
  });

  it("the address may be invited again once the oldest of the 3 is a day old; the message says when", async () => {
    const team = await newTeam();
    const t0 = new Date("2030-01-01T00:00:00Z");
    for (let i = 0; i < 3; i++) await inviteViewerAt(team, "later@example.com", new Date(t0.getTime() + i * HOUR));
    const refusal = inviteViewerAt(team, "later@example.com", new Date(t0.getTime() + 3 * HOUR));
    // The oldest leaves the 24-hour window 21 hours later.
    await expect(refusal).rejects.toMatchObject({
      code: "rate_limited",
      field: "email",
      message: expect.stringMatching(/try again in 21 hours\.$/),
    });
    await expect(
      inviteViewerAt(team, "later@example.com", new Date(t0.getTime() + 24 * HOUR + 1)),
    ).resolves.toMatchObject({ mailed: true });
  });
});

describe("per organization", () => {
  it("20 invitations an hour: with 15 sent, 12 concurrent ones make exactly 5 more; the rest name the limit", async () => {
    const team = await newTeam();
    for (let i = 0; i < 15; i++)
      await createInvitation(team, { email: `early-${i}@example.com`, role: "viewer" }, meta);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        createInvitation(team, { email: `bulk-${i}@example.com`, role: "viewer" }, meta),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(5);
    for (const o of outcomes)
      if (o.status === "rejected")
        expect(o.reason).toMatchObject({
          code: "rate_limited",
          field: undefined,
          reason: "invitations_per_organization",
          message: expect.stringMatching(
            /^This organization has sent 20 invitations in the last hour, the most allowed: try again in \d+ minutes?\.$/,
          ),
        });
    expect(await db.current.client.invitation.count({ where: { organizationId: team.organization.id } })).toBe(20);
  });

  it("through the action, the refusal is a form-level message; an hour after the oldest, invitations go out again", async () => {
    const team = await newTeam();
    const t0 = new Date("2030-02-01T00:00:00Z");
    for (let i = 0; i < 20; i++)
      await inviteViewerAt(team, `hour-${i}@example.com`, new Date(t0.getTime() + i * MINUTE));
    await expect(
      inviteViewerAt(team, "hour-x@example.com", new Date(t0.getTime() + 30 * MINUTE)),
    ).rejects.toMatchObject({ message: expect.stringMatching(/try again in 30 minutes\.$/) });
    await expect(inviteViewerAt(team, "hour-x@example.com", new Date(t0.getTime() + HOUR + 1))).resolves.toMatchObject({
      mailed: true,
    });

    // Now, through the dashboard's action: 20 in the last hour.
    const live = await newTeam();
    for (let i = 0; i < 20; i++) await createInvitation(live, { email: `live-${i}@example.com`, role: "viewer" }, meta);
    await signInAs(ownerId);
    const result = await createInvitationAction({
      org: live.organization.slug,
      email: "one-more@example.com",
      role: "viewer",
    });
    expect(result).toEqual({
      ok: false,
      code: "rate_limited",
      message: expect.stringMatching(/^This organization has sent 20 invitations in the last hour/),
      fieldErrors: undefined,
    });
    expect(await mailsTo("one-more@example.com")).toBe(0);
  });
});

describe("a suspended organization", () => {
  it("refuses an invitation sent before the suspension, keeps it pending, and accepts it after the restore", async () => {
    const team = await newTeam();
    const invitee = await createMemberAccount("invitee");
    const { url } = await createInvitation(team, { email: invitee.email, role: "developer" }, meta);
    const token = url.split("/invite/")[1];
    await db.current.client.organization.update({
      where: { id: team.organization.id },
      data: { suspendedAt: new Date() },
    });

    const page = await getInvitation(token, invitee);
    expect(page.state).toBe("suspended");
    expect(page.message).toMatch(/^Acme is suspended, so nobody can join it now\. This invitation stays valid/);
    expect(page.invitation).toEqual({
      email: invitee.email,
      role: "developer",
      organization: { id: team.organization.id, slug: team.organization.slug, name: "Acme" },
    });
    // Signed out, the page says the same (not "sign in to join").
    expect((await getInvitation(token, null)).state).toBe("suspended");

    await expect(acceptInvitation(invitee, token, meta)).rejects.toMatchObject({
      code: "account_suspended",
      reason: "suspended",
    });
    await signInAs(invitee.id);
    let result: unknown;
    expect(await redirectOf(acceptInvitationAction({ token }).then((r) => (result = r)))).toBeNull();
    expect(result).toEqual({ ok: false, code: "account_suspended", message: page.message, fieldErrors: undefined });

    const row = await db.current.client.invitation.findFirstOrThrow({ where: { email: invitee.email } });
    expect(row).toMatchObject({ acceptedAt: null, acceptedById: null, revokedAt: null });
    expect(await findMembership(invitee.id, team.organization.slug)).toBeNull();

    await db.current.client.organization.update({ where: { id: team.organization.id }, data: { suspendedAt: null } });
    expect((await getInvitation(token, invitee)).state).toBe("ok");
    expect(await redirectOf(acceptInvitationAction({ token }))).toBe(`/dashboard/${team.organization.slug}`);
    expect(await findMembership(invitee.id, team.organization.slug)).toMatchObject({ role: "developer" });
  });
});
