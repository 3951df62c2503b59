// Invitations through the real server actions: created by admins (owners only for owners), the token only ever stored
// as its SHA-256, mailed through a real SMTP server (started here), accepted once by the invited email; expired, used,
// revoked and wrong-email links each refused with their own message; two concurrent accepts make one membership; sign-up
// comes back to the invitation page.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { mailIdle } from "@/lib/mail";
import { createInvitation, getInvitation, INVITATION_TTL_MS, listPendingInvitations } from "@/lib/orgs/invitations";
import { createOrganization, findMembership } from "@/lib/orgs/organizations";
import type { OrgRole } from "@/lib/orgs/roles";
import { withTestDb } from "../helpers/db";
import { startMailInbox } from "../helpers/smtp";
import { redirectOf, withSession } from "../helpers/next-request";
import { signInAs } from "../helpers/org-team";

const mailServer = await startMailInbox();
const inbox = mailServer.inbox;
vi.stubEnv("NEXTAUTH_URL", "http://keyhold.test:3000");

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { acceptInvitationAction, createInvitationAction, revokeInvitationAction } =
  await import("@/lib/actions/members");
const { signUpAction } = await import("@/lib/actions/auth");

const db = withTestDb();
const password = "a long enough password";
const SLUG = "acme";
let orgId = "";
const ids: Record<"owner" | "admin" | "developer" | "viewer", string> = {
  owner: "",
  admin: "",
  developer: "",
  viewer: "",
};

afterAll(() => mailServer.close());

const signUp = (email: string) => createAccount({ email, password, confirmPassword: password }, null);

const tokenOf = (url: string) => url.split("/invite/")[1];

// An invitation created by the admin through the action; returns its token.
async function invite(email: string, role: OrgRole = "developer"): Promise<string> {
  await signInAs(ids.admin);
  const result = await createInvitationAction({ org: SLUG, email, role });
  if (!result.ok) throw new Error(`invitation refused: ${result.message}`);
  return tokenOf(result.data.url);
}

// Accepting as a user: the path it redirected to, or the refusal.
async function accept(userId: string, token: string) {
  await signInAs(userId);
  const outcome = { redirect: null as string | null, result: null as unknown };
  outcome.redirect = await redirectOf(acceptInvitationAction({ token }).then((r) => (outcome.result = r)));
  return outcome;
}

beforeAll(async () => {
  for (const name of Object.keys(ids) as (keyof typeof ids)[]) ids[name] = (await signUp(`${name}@example.com`)).id;
  const org = await db.current.client.$transaction((tx) =>
    createOrganization(tx, { name: "Acme Inc", slug: SLUG, ownerId: ids.owner }),
  );
  orgId = org.id;
  await db.current.client.membership.createMany({
    data: [
      { organizationId: orgId, userId: ids.admin, role: "admin" },
      { organizationId: orgId, userId: ids.developer, role: "developer" },
      { organizationId: orgId, userId: ids.viewer, role: "viewer" },
    ],
  });
});

describe("creating an invitation", () => {
  it("returns the link once, stores only its SHA-256, mails it, lists it as pending and audits it", async () => {
    await signInAs(ids.admin);
    const result = await createInvitationAction({ org: SLUG, email: "New.Person@Example.com", role: "developer" });
    expect(result).toMatchObject({ ok: true, data: { mailed: true, invitation: { email: "new.person@example.com" } } });
    const url = result.ok ? result.data.url : "";
    expect(url).toMatch(/^http:\/\/keyhold\.test:3000\/invite\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(url);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);

    const row = await db.current.client.invitation.findFirstOrThrow({ where: { email: "new.person@example.com" } });
    expect(row.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(row).toMatchObject({ organizationId: orgId, role: "developer", invitedById: ids.admin, acceptedAt: null });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(INVITATION_TTL_MS);
    // The token is nowhere in the database: not in the invitation, not in the audit log.
    const invitations = await db.current.client.invitation.findMany();
    const events = await db.current.client.auditEvent.findMany();
    expect(JSON.stringify([invitations, events])).not.toContain(token);
    expect(events.filter((e) => e.action === "member.invited")).toMatchObject([
      { organizationId: orgId, actorId: ids.admin, metadata: { email: "new.person@example.com", role: "developer" } },
    ]);

    await mailIdle();
    const mail = inbox.find((m) => m.to === "new.person@example.com");
    expect(mail, "a mail to the invitee").toBeDefined();
    expect(mail!.raw.replace(/=\r?\n/g, "")).toContain(url);
    expect(mail!.raw).toContain("Acme Inc");

    expect((await listPendingInvitations(orgId)).map((i) => i.email)).toContain("new.person@example.com");
  });

  it("only owners invite owners; members cannot be invited again; bad input names its field", async () => {
    await signInAs(ids.admin);
    expect(await createInvitationAction({ org: SLUG, email: "boss@example.com", role: "owner" })).toMatchObject({
      ok: false,
      code: "forbidden",
      fieldErrors: { role: expect.any(String) },
    });
    expect(await createInvitationAction({ org: SLUG, email: "viewer@example.com", role: "admin" })).toMatchObject({
      ok: false,
      code: "conflict",
      fieldErrors: { email: expect.stringContaining("already a member") },
    });
    expect(await createInvitationAction({ org: SLUG, email: "not an email", role: "admin" })).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { email: expect.any(String) },
    });
    await signInAs(ids.owner);
    expect(await createInvitationAction({ org: SLUG, email: "boss@example.com", role: "owner" })).toMatchObject({
      ok: true,
    });
  });

  it("developers and viewers are forbidden; a non-member gets not_found", async () => {
    const before = await db.current.client.invitation.count();
    for (const who of [ids.developer, ids.viewer]) {
      await signInAs(who);
      expect(await createInvitationAction({ org: SLUG, email: "x@example.com", role: "viewer" })).toMatchObject({
        ok: false,
        code: "forbidden",
      });
    }
    const outsider = await signUp("outsider@example.com");
    await signInAs(outsider.id);
    expect(await createInvitationAction({ org: SLUG, email: "x@example.com", role: "viewer" })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect(await db.current.client.invitation.count()).toBe(before);
  });
});

describe("accepting", () => {
  it("the invited user joins with the invitation's role and goes to the organization, audited", async () => {
    const token = await invite("joiner@example.com", "viewer");
    const joiner = await signUp("JOINER@example.com");
    expect((await getInvitation(token, null)).state).toBe("sign_in");
    expect(await getInvitation(token, joiner)).toMatchObject({
      state: "ok",
      invitation: { role: "viewer", organization: { name: "Acme Inc", slug: SLUG } },
    });
    const { redirect } = await accept(joiner.id, token);
    expect(redirect).toBe(`/dashboard/${SLUG}`);
    expect(await findMembership(joiner.id, SLUG)).toMatchObject({ role: "viewer" });
    expect(
      await db.current.client.auditEvent.findMany({ where: { action: "member.joined", userId: joiner.id } }),
    ).toMatchObject([{ organizationId: orgId, metadata: { role: "viewer" } }]);
    expect((await listPendingInvitations(orgId)).map((i) => i.email)).not.toContain("joiner@example.com");
    // Opened again by the same user: they are a member already.
    expect((await getInvitation(token, joiner)).state).toBe("already_member");
  });

  it("expired, used, revoked and wrong-email links are each refused with their own message", async () => {
    const messages: Record<string, string> = {};
    const refused = async (userId: string, token: string, code: string, state: string) => {
      const { redirect, result } = await accept(userId, token);
      expect(redirect).toBeNull();
      expect(result).toMatchObject({ ok: false, code });
      messages[state] = (result as { message: string }).message;
    };

    // Expired: issued eight days ago.
    const admin = (await findMembership(ids.admin, SLUG))!;
    const old = await createInvitation(
      admin,
      { email: "late@example.com", role: "viewer" },
      { ip: null },
      new Date(Date.now() - INVITATION_TTL_MS - 86_400_000),
    );
    const late = await signUp("late@example.com");
    await refused(late.id, tokenOf(old.url), "conflict", "expired");
    expect(messages.expired).toContain("expired");

    // Used: accepted by its invitee, then opened by someone else.
    const usedToken = await invite("first@example.com");
    const first = await signUp("first@example.com");
    expect((await accept(first.id, usedToken)).redirect).toBe(`/dashboard/${SLUG}`);
    const second = await signUp("second@example.com");
    await refused(second.id, usedToken, "conflict", "used");
    expect(messages.used).toContain("already been used");

    // Revoked by an admin.
    const revokedToken = await invite("revoked@example.com");
    const pending = await db.current.client.invitation.findFirstOrThrow({
      where: { email: "revoked@example.com", revokedAt: null },
    });
    await signInAs(ids.admin);
    expect(await revokeInvitationAction({ org: SLUG, id: pending.id })).toEqual({ ok: true, data: undefined });
    expect(
      await db.current.client.auditEvent.count({
        where: { action: "member.invitation_revoked", organizationId: orgId },
      }),
    ).toBe(1);
    const revokedUser = await signUp("revoked@example.com");
    await refused(revokedUser.id, revokedToken, "conflict", "revoked");
    expect(messages.revoked).toContain("revoked");

    // Wrong email: someone else signed in.
    const wrongToken = await invite("intended@example.com");
    await refused(second.id, wrongToken, "forbidden", "wrong_email");
    expect(messages.wrong_email).toContain("intended@example.com");
    expect(messages.wrong_email).toContain("second@example.com");

    expect(new Set(Object.values(messages)).size).toBe(4);
    for (const user of [late, second, revokedUser]) expect(await findMembership(user.id, SLUG)).toBeNull();

    // An unknown token.
    const { result } = await accept(second.id, "A".repeat(43));
    expect(result).toMatchObject({ ok: false, code: "not_found" });
  });

  it("a newer invitation for the same email replaces the older one", async () => {
    const older = await invite("twice@example.com");
    const newer = await invite("twice@example.com", "admin");
    const user = await signUp("twice@example.com");
    expect((await getInvitation(older, user)).state).toBe("revoked");
    expect((await accept(user.id, newer)).redirect).toBe(`/dashboard/${SLUG}`);
    expect(await findMembership(user.id, SLUG)).toMatchObject({ role: "admin" });
  });

  it("a revoked or accepted invitation cannot be revoked again; another organization's is not_found", async () => {
    await invite("gone@example.com");
    const row = await db.current.client.invitation.findFirstOrThrow({ where: { email: "gone@example.com" } });
    await signInAs(ids.admin);
    expect(await revokeInvitationAction({ org: SLUG, id: row.id })).toMatchObject({ ok: true });
    expect(await revokeInvitationAction({ org: SLUG, id: row.id })).toMatchObject({ ok: false, code: "conflict" });
    // The admin's personal organization does not hold this invitation.
    const personal = await db.current.client.membership.findFirstOrThrow({
      where: { userId: ids.admin, organization: { personal: true } },
      include: { organization: true },
    });
    expect(await revokeInvitationAction({ org: personal.organization.slug, id: row.id })).toMatchObject({
      ok: false,
      code: "not_found",
      fieldErrors: { id: expect.any(String) },
    });
  });

  it("concurrent accepts of one link make one membership; the others are told plainly", async () => {
    const token = await invite("racer@example.com");
    const racer = await signUp("racer@example.com");
    await signInAs(racer.id);
    const results: unknown[] = [];
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => redirectOf(acceptInvitationAction({ token }).then((r) => results.push(r)))),
    );
    expect(outcomes.filter((o) => o === `/dashboard/${SLUG}`)).toHaveLength(1);
    expect(results).toHaveLength(4);
    for (const result of results)
      expect(result).toEqual({ ok: false, code: "conflict", message: "You are already a member of Acme Inc." });
    expect(await db.current.client.membership.count({ where: { organizationId: orgId, userId: racer.id } })).toBe(1);
    expect(await db.current.client.auditEvent.count({ where: { action: "member.joined", userId: racer.id } })).toBe(1);
  });

  it("signed out, accepting answers unauthenticated", async () => {
    const token = await invite("anon@example.com");
    await withSession(null);
    expect(await acceptInvitationAction({ token })).toMatchObject({ ok: false, code: "unauthenticated" });
  });
});

describe("signing up from an invitation", () => {
  it("sign-up goes back to the invitation page (a same-site next only)", async () => {
    await withSession(null);
    const form = { password, confirmPassword: password };
    expect(await redirectOf(signUpAction({ email: "fresh@example.com", ...form, next: "/invite/abc" }))).toBe(
      "/invite/abc",
    );
    await withSession(null);
    expect(await redirectOf(signUpAction({ email: "fresh2@example.com", ...form, next: "//evil.example" }))).toBe(
      "/dashboard",
    );
  });
});
