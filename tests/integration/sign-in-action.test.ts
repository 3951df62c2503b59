// The sign-in and sign-up server actions: the session cookie they issue, where they redirect, their refusals, that no
// internal error reaches the form, that a taken email is refused before any hashing, and the per-IP sign-up throttle.
import { decode } from "next-auth/jwt";
import { generateSync } from "otplib";
import { describe, expect, it, vi } from "vitest";
import { createAccount, SIGNIN_MAX_FAILURES, SIGNIN_UNAVAILABLE, SUSPENDED_MESSAGE } from "@/lib/auth/accounts";
import { sessionCookieName } from "@/lib/auth/options";
import { setDb } from "@/lib/db";
import { env } from "@/lib/env";
import { confirmEnrolment, startEnrolment } from "@/lib/mfa/service";
import { withTestDb, unreachableClient } from "../helpers/db";
import { redirectOf, request, sessionCookie, fromClientIp, withSession } from "../helpers/next-request";
import { passwordCalls } from "../helpers/password-calls";

vi.mock("@/lib/auth/password", async (original) =>
  (await import("../helpers/password-calls")).countedPassword(original),
);
vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { signInAction, signUpAction } = await import("@/lib/actions/auth");
const { getCurrentUser } = await import("@/lib/auth/session");

const db = withTestDb();
const password = "a long enough password";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

describe("signInAction", () => {
  it("with the right password sets next-auth's session cookie and redirects to a safe `next`", async () => {
    const user = await createAccount({ email: "signin@example.com", password, confirmPassword: password }, null);
    await withSession(null);
    expect(await redirectOf(signInAction({ email: "Signin@Example.com", password, next: "/dashboard/keys" }))).toBe(
      "/dashboard/keys",
    );
    const cookie = request.jar.get(sessionCookieName())!;
    expect(cookie.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/", secure: false });
    expect(await decode({ token: cookie.value, secret: env().authSecret })).toMatchObject({
      sub: user.id,
      email: "signin@example.com",
      role: "ADMIN",
      mfa: "none",
      sv: 0,
    });
    expect((await getCurrentUser())?.user.id).toBe(user.id);

    // As a form post (before JavaScript), and with an unsafe `next`.
    await withSession(null);
    expect(
      await redirectOf(signInAction(null, form({ email: "signin@example.com", password, next: "//evil.example/x" }))),
    ).toBe("/dashboard");
    expect(sessionCookie()).not.toBe("");
  });

  it("with MFA on, issues a pending session and goes to the challenge", async () => {
    const user = await createAccount({ email: "signin-mfa@example.com", password, confirmPassword: password }, null);
    const { secret } = await startEnrolment(user.id);
    await confirmEnrolment(user.id, generateSync({ secret }));
    await withSession(null);
    expect(
      await redirectOf(signInAction({ email: "signin-mfa@example.com", password, next: "/dashboard/usage" })),
    ).toBe("/login/mfa?next=%2Fdashboard%2Fusage");
    expect(await decode({ token: sessionCookie(), secret: env().authSecret })).toMatchObject({
      sub: user.id,
      mfa: "pending",
      sv: 1,
    });
    expect(await getCurrentUser()).toBeNull();
  });

  it("a wrong password, a locked email and a suspended account each answer their message and set no cookie", async () => {
    await withSession(null);
    expect(await signInAction({ email: "signin@example.com", password: "not the password" })).toEqual({
      ok: false,
      code: "unauthenticated",
      message: "Invalid email or password",
    });
    const suspended = await createAccount(
      { email: "signin-suspended@example.com", password, confirmPassword: password },
      null,
    );
    await db.current.client.user.update({ where: { id: suspended.id }, data: { suspendedAt: new Date() } });
    expect(await signInAction({ email: "signin-suspended@example.com", password })).toMatchObject({
      ok: false,
      code: "account_suspended",
      message: SUSPENDED_MESSAGE,
    });
    for (let i = 0; i < SIGNIN_MAX_FAILURES; i++)
      await signInAction({ email: "signin@example.com", password: `wrong password ${i}` });
    expect(await signInAction({ email: "signin@example.com", password })).toMatchObject({
      ok: false,
      code: "locked",
      message: expect.stringMatching(/^Too many failed sign-ins/),
    });
    expect(sessionCookie()).toBe("");
  });

  it("a NUL in the email is a field error with no database text", async () => {
    const result = await signInAction({ email: "nul\u0000@example.com", password });
    expect(result).toMatchObject({
      ok: false,
      code: "invalid_request",
      fieldErrors: { email: "Enter a valid email address" },
    });
    expect(JSON.stringify(result)).not.toMatch(/prisma|invocation/i);
  });

  it("an unreachable database answers the generic message only", async () => {
    setDb(unreachableClient());
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await signInAction({ email: "someone@example.com", password })).toEqual({
        ok: false,
        code: "service_unavailable",
        message: SIGNIN_UNAVAILABLE,
      });
    } finally {
      quiet.mockRestore();
      setDb(db.current.client);
    }
  });
});

describe("signUpAction", () => {
  it("creates the account, signs in and goes to the dashboard", async () => {
    fromClientIp("198.51.100.1");
    await withSession(null);
    const fields = { email: "new@example.com", password, confirmPassword: password };
    expect(await redirectOf(signUpAction(null, form(fields)))).toBe("/dashboard");
    expect((await getCurrentUser())?.user.email).toBe("new@example.com");
  });

  it("completes or leaves nothing: when the session cannot be started, no account, organization or audit row remains, and a retry succeeds", async () => {
    fromClientIp("198.51.100.3");
    await withSession(null);
    const fields = { email: "half@example.com", password, confirmPassword: password };
    const counts = async () => [
      await db.current.client.user.count(),
      await db.current.client.organization.count(),
      await db.current.client.auditEvent.count({ where: { action: "auth.signup" } }),
    ];
    const before = await counts();
    const setCookie = request.jar.set;
    request.jar.set = () => {
      throw new Error("the response was already sent");
    };
    try {
      expect(await signUpAction(null, form(fields))).toMatchObject({ ok: false, code: "internal_error" });
    } finally {
      request.jar.set = setCookie;
    }
    expect(await counts()).toEqual(before);
    expect(await redirectOf(signUpAction(null, form(fields)))).toBe("/dashboard");
    expect((await getCurrentUser())?.user.email).toBe("half@example.com");
  });

  it("refuses a taken email before hashing anything", async () => {
    fromClientIp("198.51.100.2");
    passwordCalls.hashes = 0;
    const result = await signUpAction({
      email: "NEW@example.com",
      password: "another long password",
      confirmPassword: "another long password",
    });
    expect(result).toMatchObject({ ok: false, fieldErrors: { email: "An account with this email already exists" } });
    expect(passwordCalls.hashes).toBe(0);
  });

  it("allows SIGNUP_RATE_LIMIT_PER_HOUR sign-ups per IP an hour, then refuses with a clear message; other IPs are unaffected", async () => {
    const limit = env().SIGNUP_RATE_LIMIT_PER_HOUR;
    fromClientIp("203.0.113.9");
    for (let i = 0; i < limit; i++) {
      await withSession(null);
      expect(
        await redirectOf(signUpAction({ email: `burst-${i}@example.com`, password, confirmPassword: password })),
      ).toBe("/dashboard");
    }
    const before = await db.current.client.user.count();
    passwordCalls.hashes = 0;
    expect(
      await signUpAction({ email: "one-too-many@example.com", password, confirmPassword: password }),
    ).toMatchObject({
      ok: false,
      code: "rate_limited",
      message: expect.stringMatching(/^Too many sign-ups from your network\. Try again in \d+ minutes?\.$/),
    });
    expect(passwordCalls.hashes).toBe(0);
    expect(await db.current.client.user.count()).toBe(before);
    fromClientIp("203.0.113.10");
    expect(
      await redirectOf(signUpAction({ email: "elsewhere@example.com", password, confirmPassword: password })),
    ).toBe("/dashboard");
  });
});
