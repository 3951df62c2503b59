// Single sign-on rules against the database: linking an IdP identity (verified email only), new SSO accounts, domain
// claims (owners claim, the instance administrator approves), JIT membership, require SSO, SSO session lifetime and
// the IdP's MFA under the MFA-required policy.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/errors";
import { authenticate } from "@/lib/auth/accounts";
import { sessionUser } from "@/lib/auth/session-version";
import { meetsMfaPolicy } from "@/lib/orgs/policies";
import { claimSsoDomainAction, decideSsoDomainAction, updateSsoDomainAction } from "@/lib/actions/sso";
import { idpReportsMfa, signInWithSso, SsoRefusal } from "@/lib/sso/sign-in";
import { auditTrail, withTestDb } from "../helpers/db";
import { createMemberAccount, createTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const db = withTestDb();
const idp = { id: "oidc", issuer: "https://idp.example.test" };
const PASSWORD = "a long enough password";

// The refusal code of an SSO sign-in that must fail.
async function refusalOf(run: Promise<unknown>): Promise<string> {
  const err = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SsoRefusal);
  return (err as SsoRefusal).code;
}

let instanceAdmin: Awaited<ReturnType<typeof createMemberAccount>>;

beforeAll(async () => {
  // The first account of the instance is its administrator.
  instanceAdmin = await createMemberAccount("instance-admin");
  expect(instanceAdmin.role).toBe("ADMIN");
});

// A team whose owner (tagged `tag`, left signed in) claimed `domain` with default role `role`, not yet decided.
async function claimedDomain(tag: string, domain: string, role: "admin" | "developer" | "viewer" = "developer") {
  const owner = await createMemberAccount(tag);
  const team = await createTeam(owner.id);
  await signInAs(owner.id);
  const claimed = await claimSsoDomainAction({ org: team.slug, domain, defaultRole: role });
  expect(claimed).toEqual({ ok: true, data: { domain } });
  const claim = await db.current.client.ssoDomain.findUniqueOrThrow({ where: { domain } });
  return { owner, team, claim };
}

// A team whose owner claimed `domain` (default role `role`) and the instance administrator approved it.
async function approvedDomain(domain: string, role: "admin" | "developer" | "viewer" = "developer") {
  const { owner, team, claim } = await claimedDomain("owner", domain, role);
  await signInAs(instanceAdmin.id);
  expect(await decideSsoDomainAction({ id: claim.id, approve: true })).toMatchObject({ ok: true });
  return { owner, team, claim };
}

describe("linking an IdP identity", () => {
  it("links to an existing account only through a verified email; an unverified one never takes it over", async () => {
    const existing = await createMemberAccount("victim");
    const email = existing.email;
    for (const email_verified of [false, "false", undefined]) {
      expect(await refusalOf(signInWithSso(idp, { sub: "mallory", email, email_verified }, "10.0.0.1"))).toBe(
        "SsoUnverifiedEmail",
      );
    }
    expect(await db.current.client.ssoIdentity.count({ where: { userId: existing.id } })).toBe(0);
    const refused = await db.current.client.auditEvent.findMany({
      where: { action: "auth.sso_refused", userId: existing.id },
    });
    expect(refused).toHaveLength(3);
    expect(refused[0].metadata).toMatchObject({ reason: "SsoUnverifiedEmail", provider: "oidc" });

    // The same address, verified by the IdP (any case), links the identity to the account.
    const linked = await signInWithSso(
      idp,
      { sub: "real-owner", email: email.toUpperCase(), email_verified: true },
      null,
    );
    expect(linked.id).toBe(existing.id);
    const identity = await db.current.client.ssoIdentity.findFirstOrThrow({ where: { userId: existing.id } });
    expect(identity).toMatchObject({ issuer: idp.issuer, subject: "real-owner" });

    // Once linked, the subject identifies the account, even if the IdP later reports the email unverified…
    expect((await signInWithSso(idp, { sub: "real-owner", email, email_verified: false }, null)).id).toBe(existing.id);
    // …while another subject with that unverified email is still refused, and the same subject at another issuer is
    // another identity.
    expect(await refusalOf(signInWithSso(idp, { sub: "mallory", email, email_verified: false }, null))).toBe(
      "SsoUnverifiedEmail",
    );
    expect(
      await refusalOf(
        signInWithSso({ id: "oidc-2", issuer: "https://other.example.test" }, { sub: "real-owner", email }, null),
      ),
    ).toBe("SsoUnverifiedEmail");
    expect(await db.current.client.ssoIdentity.count({ where: { userId: existing.id } })).toBe(1);
  });

  it("creates a new account without a password for a verified email; an unverified or missing email creates none", async () => {
    const before = await db.current.client.user.count();
    expect(
      await refusalOf(
        signInWithSso(idp, { sub: "new-unverified", email: "nobody@example.org", email_verified: false }, null),
      ),
    ).toBe("SsoUnverifiedEmail");
    expect(await refusalOf(signInWithSso(idp, { sub: "no-email" }, null))).toBe("SsoNoEmail");
    expect(await db.current.client.user.count()).toBe(before);

    const created = await signInWithSso(
      idp,
      { sub: "newcomer", email: "Newcomer@Example.org", email_verified: true },
      null,
    );
    expect(created).toMatchObject({ email: "newcomer@example.org", passwordHash: null, role: "USER" });
    const orgs = await db.current.client.membership.findMany({
      where: { userId: created.id },
      include: { organization: true },
    });
    expect(orgs.map((m) => [m.role, m.organization.personal])).toEqual([["owner", true]]);
    const actions = (
      await db.current.client.auditEvent.findMany({ where: { userId: created.id }, orderBy: { createdAt: "asc" } })
    ).map((e) => e.action);
    expect(actions).toEqual(["auth.signup", "auth.sso_linked", "auth.signin"]);
    // An SSO account has no password to sign in with.
    await expect(authenticate("newcomer@example.org", PASSWORD, null)).rejects.toMatchObject({
      reason: "invalid_credentials",
    });
  });

  it("refuses a suspended account", async () => {
    const user = await createMemberAccount("suspended");
    await db.current.client.user.update({ where: { id: user.id }, data: { suspendedAt: new Date() } });
    expect(
      await refusalOf(signInWithSso(idp, { sub: "suspended", email: user.email, email_verified: true }, null)),
    ).toBe("SsoSuspended");
  });
});

describe("SSO domains", () => {
  it("only owners claim a domain; only the instance administrator approves it; a domain is claimed once; audited", async () => {
    const owner = await createMemberAccount("claim-owner");
    const admin = await createMemberAccount("claim-admin");
    const team = await createTeam(owner.id, [{ userId: admin.id, role: "admin" }]);

    await signInAs(admin.id);
    expect(await claimSsoDomainAction({ org: team.slug, domain: "acme.test" })).toMatchObject({
      ok: false,
      code: "forbidden",
      message: "Only owners can manage single sign-on.",
    });
    await signInAs(owner.id);
    expect(await claimSsoDomainAction({ org: team.slug, domain: "not a domain" })).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { domain: "Enter an email domain such as example.com" },
    });
    expect(
      await claimSsoDomainAction({ org: team.slug, domain: "@Acme.Test", defaultRole: "owner" as never }),
    ).toMatchObject({
      ok: false,
      fieldErrors: { defaultRole: expect.stringContaining("admin, developer or viewer") },
    });
    expect(await claimSsoDomainAction({ org: team.slug, domain: "@Acme.Test", defaultRole: "viewer" })).toEqual({
      ok: true,
      data: { domain: "acme.test" },
    });
    const claim = await db.current.client.ssoDomain.findUniqueOrThrow({ where: { domain: "acme.test" } });
    expect(claim).toMatchObject({
      status: "pending",
      defaultRole: "viewer",
      organizationId: team.id,
      claimedById: owner.id,
    });

    // Another organization cannot claim it too.
    const other = await createMemberAccount("other-owner");
    const otherTeam = await createTeam(other.id);
    await signInAs(other.id);
    expect(await claimSsoDomainAction({ org: otherTeam.slug, domain: "acme.test" })).toMatchObject({
      ok: false,
      fieldErrors: { domain: "This domain is already claimed" },
    });

    // The organization's owner is not the instance administrator.
    await signInAs(owner.id);
    expect(await decideSsoDomainAction({ id: claim.id, approve: true })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    await signInAs(instanceAdmin.id);
    expect(await decideSsoDomainAction({ id: claim.id, approve: true })).toEqual({
      ok: true,
      data: { approved: true },
    });
    expect(await db.current.client.ssoDomain.findUniqueOrThrow({ where: { id: claim.id } })).toMatchObject({
      status: "approved",
      approvedById: instanceAdmin.id,
    });
    // Decided once.
    expect(await decideSsoDomainAction({ id: claim.id, approve: false })).toMatchObject({
      ok: false,
      code: "not_found",
    });

    expect(await auditTrail(db.current.client, { organizationId: team.id, action: { startsWith: "sso." } })).toEqual([
      ["sso.domain_claimed", owner.id],
      ["sso.domain_approved", instanceAdmin.id],
    ]);
  });

  it("a rejected claim is gone, and frees the domain", async () => {
    const { team, claim } = await claimedDomain("reject-owner", "rejected.test");
    await signInAs(instanceAdmin.id);
    expect(await decideSsoDomainAction({ id: claim.id, approve: false })).toEqual({
      ok: true,
      data: { approved: false },
    });
    expect(await db.current.client.ssoDomain.count({ where: { domain: "rejected.test" } })).toBe(0);
    expect(
      await db.current.client.auditEvent.count({ where: { organizationId: team.id, action: "sso.domain_rejected" } }),
    ).toBe(1);
  });

  it("JIT: verified SSO users of an approved domain join with its default role; pending claims and unverified emails do not", async () => {
    const owner = await createMemberAccount("pending-owner");
    const pendingTeam = await createTeam(owner.id);
    await signInAs(owner.id);
    await claimSsoDomainAction({ org: pendingTeam.slug, domain: "pending.test" });
    const notYet = await signInWithSso(idp, { sub: "p1", email: "p1@pending.test", email_verified: true }, null);
    expect(
      await db.current.client.membership.count({ where: { userId: notYet.id, organizationId: pendingTeam.id } }),
    ).toBe(0);

    const { team } = await approvedDomain("jit.test", "viewer");
    const joined = await signInWithSso(idp, { sub: "j1", email: "j1@JIT.test", email_verified: true }, "10.0.0.2");
    const membership = await db.current.client.membership.findUniqueOrThrow({
      where: { organizationId_userId: { organizationId: team.id, userId: joined.id } },
    });
    expect(membership.role).toBe("viewer");
    const joinedEvent = await db.current.client.auditEvent.findFirstOrThrow({
      where: { organizationId: team.id, action: "member.joined", userId: joined.id },
    });
    expect(joinedEvent.metadata).toMatchObject({ role: "viewer", via: "sso", domain: "jit.test" });
    // A second sign-in keeps the one membership (and its role, even if an admin changed it).
    await db.current.client.membership.update({ where: { id: membership.id }, data: { role: "developer" } });
    await signInWithSso(idp, { sub: "j1", email: "j1@jit.test", email_verified: true }, null);
    expect(
      await db.current.client.membership.findMany({ where: { organizationId: team.id, userId: joined.id } }),
    ).toMatchObject([{ role: "developer" }]);

    // An existing password account of the domain joins at its first (verified) SSO sign-in.
    const before = await createMemberAccount("jit-existing");
    const atDomain = await db.current.client.user.update({
      where: { id: before.id },
      data: { email: "existing@jit.test" },
    });
    await signInWithSso(idp, { sub: "existing", email: "existing@jit.test", email_verified: true }, null);
    expect(await db.current.client.membership.count({ where: { organizationId: team.id, userId: atDomain.id } })).toBe(
      1,
    );

    // An unverified email of the domain joins nothing (and creates nothing).
    expect(await refusalOf(signInWithSso(idp, { sub: "u1", email: "u1@jit.test", email_verified: false }, null))).toBe(
      "SsoUnverifiedEmail",
    );
  });

  it("require SSO refuses the domain's password sign-in and ends its password sessions, not its SSO sessions", async () => {
    const { owner, team, claim } = await approvedDomain("strict.test");
    const pw = await createMemberAccount("strict-pw");
    const user = await db.current.client.user.update({ where: { id: pw.id }, data: { email: "pw@strict.test" } });
    const outsider = await createMemberAccount("outsider");
    const passwordSession = { sub: user.id, sv: user.sessionVersion };
    const ssoSession = {
      sub: user.id,
      sv: user.sessionVersion,
      sso: "oidc",
      ssoExp: Math.floor(Date.now() / 1000) + 600,
    };

    expect((await authenticate("pw@strict.test", PASSWORD, null)).id).toBe(user.id);
    expect(await sessionUser(passwordSession)).not.toBeNull();

    await signInAs(owner.id);
    expect(
      await updateSsoDomainAction({ org: team.slug, id: claim.id, defaultRole: "developer", requireSso: true }),
    ).toMatchObject({ ok: true, data: { requireSso: true } });

    const refused = await authenticate("pw@strict.test", PASSWORD, "10.0.0.3").then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: "forbidden", reason: "sso_required", field: "email" });
    expect((refused as ApiError).message).toContain("Accounts at strict.test sign in with single sign-on");
    // Even a wrong password gets the same answer, and no lockout attempt is counted.
    await expect(authenticate("PW@strict.test", "wrong password!!", null)).rejects.toMatchObject({
      reason: "sso_required",
    });
    expect(await db.current.client.signInFailure.count({ where: { email: "pw@strict.test" } })).toBe(0);
    expect(await sessionUser(passwordSession)).toBeNull();
    expect(await sessionUser(ssoSession)).not.toBeNull();
    // Other domains are not affected.
    expect((await authenticate(outsider.email, PASSWORD, null)).id).toBe(outsider.id);
    expect(
      await db.current.client.auditEvent.count({ where: { action: "auth.signin_sso_required", ip: "10.0.0.3" } }),
    ).toBe(1);
    expect(
      await db.current.client.auditEvent.findFirstOrThrow({
        where: { organizationId: team.id, action: "sso.domain_updated" },
      }),
    ).toMatchObject({ metadata: { domain: "strict.test", requireSso: { from: false, to: true } } });
  });

  it("require SSO on a claim not yet approved changes nothing", async () => {
    const { team, claim } = await claimedDomain("unapproved-owner", "unapproved.test");
    await updateSsoDomainAction({ org: team.slug, id: claim.id, defaultRole: "viewer", requireSso: true });
    const pw = await createMemberAccount("unapproved-pw");
    await db.current.client.user.update({ where: { id: pw.id }, data: { email: "pw@unapproved.test" } });
    expect((await authenticate("pw@unapproved.test", PASSWORD, null)).id).toBe(pw.id);
  });
});

describe("SSO sessions and MFA", () => {
  it("an SSO session ends after SSO_SESSION_MAX_AGE (its ssoExp)", async () => {
    const user = await createMemberAccount("sso-session");
    const now = Math.floor(Date.now() / 1000);
    expect(await sessionUser({ sub: user.id, sv: 0, sso: "oidc", ssoExp: now + 60 })).not.toBeNull();
    expect(await sessionUser({ sub: user.id, sv: 0, sso: "oidc", ssoExp: now - 1 })).toBeNull();
    expect(await sessionUser({ sub: user.id, sv: 0, sso: "oidc" })).toBeNull();
  });

  it("the IdP's MFA (amr mfa, otp or hwk) meets the MFA-required policy only where the organization accepts it", () => {
    expect(idpReportsMfa(["pwd", "mfa"])).toBe(true);
    expect(idpReportsMfa(["otp"])).toBe(true);
    expect(idpReportsMfa(["hwk"])).toBe(true);
    expect(idpReportsMfa(["pwd"])).toBe(false);
    expect(idpReportsMfa("mfa")).toBe(false);
    expect(idpReportsMfa(undefined)).toBe(false);
    const noTotp = { user: { mfaEnabledAt: null } };
    const required = { requireMfa: true, ssoAcceptIdpMfa: false };
    const accepting = { requireMfa: true, ssoAcceptIdpMfa: true };
    expect(meetsMfaPolicy(required, { ...noTotp, token: { idpMfa: true } })).toBe(false);
    expect(meetsMfaPolicy(accepting, { ...noTotp, token: { idpMfa: true } })).toBe(true);
    expect(meetsMfaPolicy(accepting, { ...noTotp, token: { idpMfa: false } })).toBe(false);
    expect(meetsMfaPolicy(accepting, { ...noTotp, token: {} })).toBe(false);
    expect(meetsMfaPolicy(required, { user: { mfaEnabledAt: new Date() }, token: {} })).toBe(true);
    expect(meetsMfaPolicy({ requireMfa: false, ssoAcceptIdpMfa: false }, { ...noTotp, token: {} })).toBe(true);
  });
});
