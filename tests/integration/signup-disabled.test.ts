// AUTH_DISABLE_SIGNUP=true: no self sign-up; accounts come only from invitations, SSO (an approved domain's JIT join, or
// an invitation for the email) and the instance administrator.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createAccount, insertAccount } from "@/lib/auth/accounts";
import { signInWithSso, SsoRefusal } from "@/lib/sso/sign-in";
import { withTestDb } from "../helpers/db";
import { createTeam } from "../helpers/org-team";

vi.stubEnv("AUTH_DISABLE_SIGNUP", "true");
vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { signUpAction } = await import("@/lib/actions/auth");

const db = withTestDb();
const password = "a long enough password";
const idp = { id: "oidc", issuer: "https://idp.example.test" };
let teamId = "";

beforeAll(async () => {
  const owner = await insertAccount("owner@example.com", null);
  const team = await createTeam(owner.id);
  teamId = team.id;
  await db.current.client.ssoDomain.create({
    data: { organizationId: team.id, domain: "approved.test", defaultRole: "viewer", status: "approved" },
  });
  await db.current.client.ssoDomain.create({
    data: { organizationId: team.id, domain: "waiting.test", status: "pending" },
  });
});

async function invite(email: string, expiresAt = new Date(Date.now() + 86_400_000)) {
  await db.current.client.invitation.create({
    data: {
      organizationId: teamId,
      email,
      role: "developer",
      tokenHash: `hash-${email}-${expiresAt.getTime()}`,
      expiresAt,
    },
  });
}

describe("AUTH_DISABLE_SIGNUP=true", () => {
  it("the sign-up action refuses, naming why, and creates nothing", async () => {
    const before = await db.current.client.user.count();
    const result = await signUpAction({ email: "walk-in@example.com", password, confirmPassword: password });
    expect(result).toMatchObject({
      ok: false,
      code: "forbidden",
      message: expect.stringContaining("Sign-up is closed"),
    });
    await expect(
      createAccount({ email: "walk-in@example.com", password, confirmPassword: password }, null),
    ).rejects.toMatchObject({ reason: "signup_disabled" });
    expect(await db.current.client.user.count()).toBe(before);
  });

  it("an email with a pending invitation may sign up; an expired one may not", async () => {
    await invite("expired@example.com", new Date(Date.now() - 1000));
    await expect(
      createAccount({ email: "expired@example.com", password, confirmPassword: password }, null),
    ).rejects.toMatchObject({ reason: "signup_disabled" });
    await invite("invited@example.com");
    const user = await createAccount({ email: "Invited@example.com", password, confirmPassword: password }, null);
    expect(user.email).toBe("invited@example.com");
  });

  it("SSO creates accounts only for an approved domain (JIT) or an invited email", async () => {
    const refused = await signInWithSso(
      idp,
      { sub: "a", email: "someone@gmail.test", email_verified: true },
      null,
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(SsoRefusal);
    expect((refused as SsoRefusal).code).toBe("SsoSignupDisabled");
    // A pending (not approved) claim opens nothing either.
    await expect(
      signInWithSso(idp, { sub: "w", email: "w@waiting.test", email_verified: true }, null),
    ).rejects.toMatchObject({ code: "SsoSignupDisabled" });
    expect(
      await db.current.client.user.count({ where: { email: { in: ["someone@gmail.test", "w@waiting.test"] } } }),
    ).toBe(0);

    const jit = await signInWithSso(idp, { sub: "b", email: "b@approved.test", email_verified: true }, null);
    expect(
      await db.current.client.membership.findFirstOrThrow({ where: { userId: jit.id, organizationId: teamId } }),
    ).toMatchObject({ role: "viewer" });

    await invite("guest@partner.test");
    const guest = await signInWithSso(idp, { sub: "c", email: "guest@partner.test", email_verified: true }, null);
    expect(guest.email).toBe("guest@partner.test");
  });

  it("existing accounts still sign in through SSO (linked by verified email)", async () => {
    const existing = await db.current.client.user.findUniqueOrThrow({ where: { email: "owner@example.com" } });
    const user = await signInWithSso(idp, { sub: "owner", email: "owner@example.com", email_verified: true }, null);
    expect(user.id).toBe(existing.id);
  });
});
