// Sessions end for real: sign-out, sign-out everywhere, password change, suspension and MFA changes bump the account's
// session version, so old cookies stop working in getCurrentUser(), in every action, and on next-auth's session route.
// The actions, cookies (encoded JWTs) and database are real; only Next's request context is supplied by the test.
import NextAuth from "next-auth";
import { generateSync } from "otplib";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { authenticate, createAccount } from "@/lib/auth/accounts";
import { authOptions, sessionCookieName } from "@/lib/auth/options";
import { startEnrolment } from "@/lib/mfa/service";
import { withTestDb } from "../helpers/db";
import { redirectOf, sessionCookie, withSession } from "../helpers/next-request";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { signOutAction } = await import("@/lib/actions/auth");
const {
  changePasswordAction,
  confirmEnrolmentAction,
  disableMfaAction,
  signOutEverywhereAction,
  cancelEnrolmentAction,
} = await import("@/lib/actions/security");
const { setSuspendedAction } = await import("@/lib/actions/admin");
const { getCurrentUser } = await import("@/lib/auth/session");

const db = withTestDb();
const password = "a long enough password";
let adminId = "";

// A fresh session cookie for an account, as sign-in issues it (its current session version, MFA done).
async function newSession(email: string): Promise<string> {
  const user = await db.current.client.user.findUniqueOrThrow({ where: { email } });
  return withSession({
    sub: user.id,
    email: user.email,
    role: user.role,
    mfa: user.mfaEnabledAt ? "verified" : "none",
    sv: user.sessionVersion,
  });
}

// Whether a cookie still opens the dashboard: getCurrentUser() and a real action.
async function works(cookie: string): Promise<boolean> {
  await withSession(cookie);
  const current = await getCurrentUser();
  // Harmless for any account: abandons a pending MFA set-up, of which there is none.
  const action = await cancelEnrolmentAction({});
  expect(action.ok).toBe(current !== null);
  if (!action.ok) expect(action.code).toBe("unauthenticated");
  return current !== null;
}

const signUp = (email: string) => createAccount({ email, password, confirmPassword: password }, null);

beforeAll(async () => {
  adminId = (await signUp("admin@example.com")).id;
});

describe("sign-out", () => {
  it("deletes the cookie and ends the session: the old cookie no longer works anywhere", async () => {
    await signUp("leaver@example.com");
    const cookie = await newSession("leaver@example.com");
    expect(await works(cookie)).toBe(true);
    await withSession(cookie);
    expect(await redirectOf(signOutAction({}))).toBe("/login");
    expect(sessionCookie()).toBe("");
    expect(await works(cookie)).toBe(false);
  });

  it("from the MFA challenge, ends the pending session too", async () => {
    const user = await signUp("pending@example.com");
    const pending = await withSession({ sub: user.id, email: user.email, role: "USER", mfa: "pending", sv: 0 });
    expect(await redirectOf(signOutAction({}))).toBe("/login");
    expect((await db.current.client.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(1);
    await withSession(pending);
    const { getPendingSession } = await import("@/lib/auth/session");
    expect(await getPendingSession()).toBeNull();
  });
});

describe("sign out everywhere", () => {
  it("ends every session of the account, this one included", async () => {
    await signUp("many@example.com");
    const laptop = await newSession("many@example.com");
    const phone = await newSession("many@example.com");
    await withSession(laptop);
    expect(await redirectOf(signOutEverywhereAction({}))).toBe("/login");
    expect(sessionCookie()).toBe("");
    expect(await works(phone)).toBe(false);
    expect(await works(laptop)).toBe(false);
    expect(await db.current.client.auditEvent.count({ where: { action: "auth.signout_everywhere" } })).toBe(1);
  });
});

describe("password change", () => {
  it("ends other sessions, keeps the acting one (re-issued), clears sign-in failures, and is audited", async () => {
    await signUp("changer@example.com");
    const other = await newSession("changer@example.com");
    const acting = await newSession("changer@example.com");
    await db.current.client.signInFailure.create({ data: { email: "changer@example.com" } });
    const next = "a brand new long password";
    expect(await changePasswordAction({ currentPassword: password, password: next, confirmPassword: next })).toEqual({
      ok: true,
      data: undefined,
    });
    const reissued = sessionCookie();
    expect(reissued).not.toBe(acting);
    expect(await works(reissued)).toBe(true);
    expect(await works(other)).toBe(false);
    expect(await works(acting)).toBe(false);
    expect(await db.current.client.signInFailure.count({ where: { email: "changer@example.com" } })).toBe(0);
    expect(await db.current.client.auditEvent.count({ where: { action: "auth.password_changed" } })).toBe(1);
    await expect(authenticate("changer@example.com", password, null)).rejects.toThrow("Invalid email or password");
    await expect(authenticate("changer@example.com", next, null)).resolves.toMatchObject({
      email: "changer@example.com",
    });
  });

  it("refuses a wrong current password and a mismatched confirmation, next to the field, changing nothing", async () => {
    const cookie = await newSession("changer@example.com");
    await withSession(cookie);
    const wrong = await changePasswordAction({
      currentPassword: "not my password",
      password: "another long password",
      confirmPassword: "another long password",
    });
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { currentPassword: "Current password is incorrect" } });
    const mismatch = await changePasswordAction({
      currentPassword: "a brand new long password",
      password: "another long password",
      confirmPassword: "something else entirely",
    });
    expect(mismatch).toMatchObject({ ok: false, fieldErrors: { confirmPassword: "Passwords do not match" } });
    expect(await works(cookie)).toBe(true);
  });

  it("needs a fresh step-up when MFA is on", async () => {
    const user = await signUp("mfa-changer@example.com");
    const { secret } = await startEnrolment(user.id);
    await withSession({ sub: user.id, email: user.email, role: "USER", mfa: "none", sv: 0 });
    expect(await confirmEnrolmentAction({ code: generateSync({ secret }) })).toMatchObject({ ok: true });
    const stale = await withSession({ sub: user.id, email: user.email, role: "USER", mfa: "verified", sv: 1 });
    const next = "a brand new long password";
    expect(
      await changePasswordAction({ currentPassword: password, password: next, confirmPassword: next }),
    ).toMatchObject({ ok: false, code: "step_up_required" });
    await withSession({ sub: user.id, email: user.email, role: "USER", mfa: "verified", sv: 1, stepUpAt: Date.now() });
    expect(
      await changePasswordAction({ currentPassword: password, password: next, confirmPassword: next }),
    ).toMatchObject({ ok: true });
    expect(await works(stale)).toBe(false);
  });
});

describe("MFA changes", () => {
  it("turning MFA on or off ends the other sessions and keeps the acting one", async () => {
    const user = await signUp("factor@example.com");
    const other = await newSession("factor@example.com");
    await newSession("factor@example.com");
    const { secret } = await startEnrolment(user.id);
    const result = await confirmEnrolmentAction({ code: generateSync({ secret }) });
    expect(result).toMatchObject({ ok: true });
    const acting = sessionCookie();
    expect(await works(other)).toBe(false);
    expect(await works(acting)).toBe(true);

    const second = await newSession("factor@example.com");
    await withSession(acting);
    const codes = result.ok ? result.data.codes : [];
    expect(await disableMfaAction({ password, method: "recovery", code: codes[0] })).toMatchObject({ ok: true });
    const kept = sessionCookie();
    expect(kept).not.toBe(acting);
    expect(await works(second)).toBe(false);
    expect(await works(acting)).toBe(false);
    expect(await works(kept)).toBe(true);
  });
});

describe("suspension", () => {
  it("ends the suspended account's sessions at once; restoring does not revive them", async () => {
    const user = await signUp("suspect@example.com");
    const theirs = await newSession("suspect@example.com");
    await withSession({ sub: adminId, email: "admin@example.com", role: "ADMIN", mfa: "none", sv: 0 });
    expect(await setSuspendedAction({ userId: user.id, suspended: true })).toMatchObject({
      ok: true,
      data: { suspended: true },
    });
    expect(await works(theirs)).toBe(false);
    await withSession({ sub: adminId, email: "admin@example.com", role: "ADMIN", mfa: "none", sv: 0 });
    expect(await setSuspendedAction({ userId: user.id, suspended: false })).toMatchObject({ ok: true });
    expect(await works(theirs)).toBe(false);
  });

  it("a suspended account's session is refused even without a version change", async () => {
    await signUp("frozen@example.com");
    const cookie = await newSession("frozen@example.com");
    await db.current.client.user.update({ where: { email: "frozen@example.com" }, data: { suspendedAt: new Date() } });
    expect(await works(cookie)).toBe(false);
  });
});

describe("next-auth's session route", () => {
  // GET /api/auth/session through next-auth's own handler (its API-route form, which needs no Next request scope).
  async function route(cookie: string) {
    const out = { body: undefined as unknown, setCookies: [] as string[] };
    const res = {
      status: () => res,
      setHeader: (name: string, value: string | string[]) => {
        if (name.toLowerCase() === "set-cookie") out.setCookies = [value].flat();
        return res;
      },
      getHeader: (name: string) => (name.toLowerCase() === "set-cookie" ? out.setCookies : undefined),
      send: (body: unknown) => void (out.body = body),
      end: () => {},
      json: (body: unknown) => void (out.body = body),
    };
    const req = {
      method: "GET",
      query: { nextauth: ["session"] },
      cookies: { [sessionCookieName()]: cookie },
      headers: { host: "localhost:3000" },
    };
    await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<void>)(
      req,
      res,
      authOptions(),
    );
    const session = out.setCookies.filter((c) => c.startsWith(`${sessionCookieName()}=`));
    return { body: out.body, session };
  }

  it("extends a live session", async () => {
    await signUp("route@example.com");
    const cookie = await newSession("route@example.com");
    const res = await route(cookie);
    expect(res.body).toMatchObject({ user: { email: "route@example.com" } });
    expect(res.session).toHaveLength(1);
    expect(res.session[0]).not.toMatch(new RegExp(`^${sessionCookieName()}=;`));
  });

  it("clears an ended session's cookie instead of extending it", async () => {
    const cookie = await newSession("route@example.com");
    await withSession(cookie);
    await redirectOf(signOutAction({}));
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await route(cookie);
    quiet.mockRestore();
    expect(res.body).toEqual({});
    expect(res.session.length).toBeGreaterThan(0);
    for (const c of res.session) expect(c).toMatch(new RegExp(`^${sessionCookieName()}=;`));
  });
});
