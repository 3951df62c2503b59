// Password reset: links mailed through a real SMTP server (started here) and links issued by an administrator. A link
// works once, within its hour; using it ends every session; unknown addresses get the same answer and no mail.
import { afterAll, describe, expect, it, vi } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { passwordResetsIdle, RESET_LINK_INVALID } from "@/lib/auth/password-reset";
import { env } from "@/lib/env";
import { withTestDb } from "../helpers/db";
import { startMailInbox } from "../helpers/smtp";
import { fromClientIp, redirectOf, withSession } from "../helpers/next-request";

const mailServer = await startMailInbox();
const inbox = mailServer.inbox;
vi.stubEnv("NEXTAUTH_URL", "http://keyhold.test:3000");

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { requestPasswordResetAction, resetPasswordAction, signInAction } = await import("@/lib/actions/auth");
const { issueResetLinkAction } = await import("@/lib/actions/admin");
const { getCurrentUser } = await import("@/lib/auth/session");

const db = withTestDb();
const password = "a long enough password";
const fresh = "my fresh new password";
const SAME_ANSWER = {
  ok: true,
  data: {
    message: "If an account exists for that email, we sent a link to reset its password. It works for one hour.",
  },
};

afterAll(() => mailServer.close());

// The reset link in the last mail to `to`.
function linkFor(to: string): string {
  const mail = inbox.filter((m) => m.to === to).at(-1);
  expect(mail, `a mail to ${to}`).toBeDefined();
  const unfolded = mail!.raw.replace(/=\r?\n/g, "");
  return unfolded.match(/http:\/\/keyhold\.test:3000\/reset-password\/[A-Za-z0-9_-]{43}/)![0];
}
const tokenOf = (link: string) => link.split("/").at(-1)!;
const reset = (token: string, pw = fresh) => resetPasswordAction({ token, password: pw, confirmPassword: pw });

describe("forgot password, by mail", () => {
  it("mails a link that resets the password once, ends old sessions, and lets the new password sign in", async () => {
    expect(env().SMTP_URL).toBe(mailServer.url);
    fromClientIp("192.0.2.1");
    const user = await createAccount({ email: "forgetful@example.com", password, confirmPassword: password }, null);
    const oldSession = await withSession({ sub: user.id, email: user.email, role: user.role, mfa: "none", sv: 0 });

    expect(await requestPasswordResetAction({ email: "Forgetful@example.com" })).toEqual(SAME_ANSWER);
    await passwordResetsIdle();
    const mail = inbox.find((m) => m.to === "forgetful@example.com")!;
    expect(mail.raw).toMatch(/^From: Keyhold <no-reply@localhost>/m);
    const link = linkFor("forgetful@example.com");

    expect(await redirectOf(reset(tokenOf(link)))).toBe("/login?reset=done");
    await withSession(oldSession);
    expect(await getCurrentUser()).toBeNull();
    await withSession(null);
    expect(await redirectOf(signInAction({ email: "forgetful@example.com", password: fresh }))).toBe("/dashboard");
    expect(await signInAction({ email: "forgetful@example.com", password })).toMatchObject({
      ok: false,
      message: "Invalid email or password",
    });

    // The same link a second time.
    expect(await reset(tokenOf(link), "yet another new password")).toMatchObject({
      ok: false,
      fieldErrors: { token: RESET_LINK_INVALID },
    });
    expect(
      await db.current.client.auditEvent.count({ where: { userId: user.id, action: "auth.password_reset" } }),
    ).toBe(1);
  });

  it("an expired link, a replaced link and a made-up token fail", async () => {
    await createAccount({ email: "slow@example.com", password, confirmPassword: password }, null);
    await requestPasswordResetAction({ email: "slow@example.com" });
    await passwordResetsIdle();
    const first = tokenOf(linkFor("slow@example.com"));
    await requestPasswordResetAction({ email: "slow@example.com" });
    await passwordResetsIdle();
    const second = tokenOf(linkFor("slow@example.com"));
    expect(second).not.toBe(first);
    expect(await reset(first)).toMatchObject({ ok: false, fieldErrors: { token: RESET_LINK_INVALID } });
    await db.current.client.passwordResetToken.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await reset(second)).toMatchObject({ ok: false, fieldErrors: { token: RESET_LINK_INVALID } });
    expect(await reset("A".repeat(43))).toMatchObject({ ok: false, fieldErrors: { token: RESET_LINK_INVALID } });
  });

  it("an unknown address gets the same answer and no mail", async () => {
    const before = inbox.length;
    expect(await requestPasswordResetAction({ email: "nobody@example.com" })).toEqual(SAME_ANSWER);
    await passwordResetsIdle();
    expect(inbox.length).toBe(before);
  });

  it("is throttled per address (silently) and per IP (refused)", async () => {
    await createAccount({ email: "spammed@example.com", password, confirmPassword: password }, null);
    fromClientIp("192.0.2.50");
    const before = inbox.length;
    for (let i = 0; i < 5; i++)
      expect(await requestPasswordResetAction({ email: "spammed@example.com" })).toEqual(SAME_ANSWER);
    await passwordResetsIdle();
    expect(inbox.length - before).toBe(3);
    for (let i = 0; i < 5; i++) await requestPasswordResetAction({ email: `other-${i}@example.com` });
    expect(await requestPasswordResetAction({ email: "x@example.com" })).toMatchObject({
      ok: false,
      code: "rate_limited",
    });
  });
});

describe("reset link issued by an administrator", () => {
  it("is shown once to the admin and works like a mailed one", async () => {
    const admin = await db.current.client.user.findFirstOrThrow({ where: { role: "ADMIN" } });
    const target = await createAccount({ email: "locked-out@example.com", password, confirmPassword: password }, null);
    await withSession({ sub: target.id, email: target.email, role: "USER", mfa: "none", sv: 0 });
    expect(await issueResetLinkAction({ userId: target.id })).toMatchObject({ ok: false, code: "forbidden" });
    await withSession({ sub: admin.id, email: admin.email, role: "ADMIN", mfa: "none", sv: admin.sessionVersion });
    const issued = await issueResetLinkAction({ userId: target.id });
    expect(issued).toMatchObject({
      ok: true,
      data: { url: expect.stringMatching(/^http:\/\/keyhold\.test:3000\/reset-password\/[A-Za-z0-9_-]{43}$/) },
    });
    const url = issued.ok ? issued.data.url : "";
    const stored = await db.current.client.passwordResetToken.findFirstOrThrow({ where: { userId: target.id } });
    expect(stored.tokenHash).not.toContain(tokenOf(url));
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBeCloseTo(3_600_000, -3);
    expect(await redirectOf(reset(tokenOf(url)))).toBe("/login?reset=done");
    expect(
      await db.current.client.auditEvent.count({
        where: { userId: target.id, action: "auth.password_reset_issued", actorId: admin.id },
      }),
    ).toBe(1);
  });
});
