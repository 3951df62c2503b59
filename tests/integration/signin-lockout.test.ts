// Sign-in lockout under concurrency, suspended accounts, and inputs or failures that must never leak internals.
import { afterAll, describe, expect, it, vi } from "vitest";
import { authenticate, createAccount, SIGNIN_MAX_FAILURES } from "@/lib/auth/accounts";
import { authOptions } from "@/lib/auth/options";
import { setDb } from "@/lib/db";
import { withTestDb, unreachableClient } from "../helpers/db";
import { passwordCalls } from "../helpers/password-calls";

vi.mock("@/lib/auth/password", async (original) =>
  (await import("../helpers/password-calls")).countedPassword(original),
);

const db = withTestDb();
const secret = "a long enough password";
const UNAVAILABLE = "Sign-in is temporarily unavailable. Try again shortly.";

// The credentials provider's own authorize(), as next-auth's /api/auth/callback/credentials calls it.
function authorize(email: string, pw: string) {
  const provider = authOptions().providers[0] as unknown as {
    options: { authorize: (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown> };
  };
  return provider.options.authorize({ email, password: pw }, { headers: {} });
}

describe("a burst of concurrent sign-ins for one email", () => {
  it("checks at most 10 passwords, refuses the right one at the end, and leaves the email locked", async () => {
    await createAccount({ email: "burst@example.com", password: secret, confirmPassword: secret }, null);
    passwordCalls.verifications = 0;
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => "signed_in",
        (err: { code?: string }) => err.code ?? "error",
      );
    const attempts = [
      ...Array.from({ length: 40 }, (_, i) => outcome(authenticate("burst@example.com", `wrong password ${i}`, null))),
      outcome(authenticate("burst@example.com", secret, null)),
    ];
    const results = await Promise.all(attempts);
    expect(results.at(-1)).toBe("locked");
    expect(results.filter((r) => r === "signed_in")).toEqual([]);
    expect(passwordCalls.verifications).toBeLessThanOrEqual(SIGNIN_MAX_FAILURES);
    await expect(authenticate("burst@example.com", secret, null)).rejects.toMatchObject({ code: "locked" });
    expect(await db.current.client.auditEvent.count({ where: { action: "auth.signin_failed" } })).toBeLessThanOrEqual(
      SIGNIN_MAX_FAILURES,
    );
  });
});

describe("a suspended account", () => {
  it("is refused with a clear message, even with the right password; a wrong password says only that", async () => {
    const user = await createAccount(
      { email: "suspended@example.com", password: secret, confirmPassword: secret },
      null,
    );
    await db.current.client.user.update({ where: { id: user.id }, data: { suspendedAt: new Date() } });
    await expect(authenticate("suspended@example.com", secret, null)).rejects.toMatchObject({
      code: "account_suspended",
      message: "This account is suspended. Contact your administrator.",
    });
    await expect(authenticate("suspended@example.com", "not the password!", null)).rejects.toThrow(
      "Invalid email or password",
    );
    await expect(authorize("suspended@example.com", secret)).rejects.toThrow(
      "This account is suspended. Contact your administrator.",
    );
  });
});

describe("inputs and failures that must not leak internals", () => {
  it("a NUL in the email is a field error, never database text", async () => {
    const err = await authenticate("a\u0000b@example.com", secret, null).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "invalid_request", field: "email", message: "Enter a valid email address" });
    const viaProvider = await authorize("a\u0000b@example.com", secret).catch((e: Error) => e);
    expect(viaProvider).toBeInstanceOf(Error);
    expect((viaProvider as Error).message).toBe("Enter a valid email address");
    expect((viaProvider as Error).message).not.toMatch(/prisma|invocation|database/i);
  });

  it("an unreachable database answers the generic message only", async () => {
    setDb(unreachableClient());
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(authorize("someone@example.com", secret)).rejects.toThrow(new Error(UNAVAILABLE));
    expect(quiet).toHaveBeenCalled();
    quiet.mockRestore();
  });
});

afterAll(() => setDb(db.current.client));
