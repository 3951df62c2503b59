// Sign-in is throttled per client IP, whatever the email: SIGNIN_RATE_LIMIT_PER_MINUTE attempts a minute from one
// address (the sign-in form's action and next-auth's credentials callback alike), then a clear rate_limited refusal
// before any password is hashed; other addresses are unaffected. On PostgreSQL, two instances on the shared store
// (RATE_LIMIT_STORE=postgres) count one limit together.
import { afterAll, describe, expect, it, vi } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { authOptions } from "@/lib/auth/options";
import { env } from "@/lib/env";
import { PEER_HEADER, PEER_SIG_HEADER } from "@/lib/ip/client-ip";
import { KeyRateLimiter, rateLimiter, setRateLimiter } from "@/lib/ratelimit/limiter";
import { withTestDb } from "../helpers/db";
import { fromClientIp, redirectOf, withSession } from "../helpers/next-request";
import { passwordCalls } from "../helpers/password-calls";

vi.mock("@/lib/auth/password", async (original) =>
  (await import("../helpers/password-calls")).countedPassword(original),
);
vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { signInAction } = await import("@/lib/actions/auth");

const db = withTestDb();
const secret = "a long enough password";
const LIMIT = env().SIGNIN_RATE_LIMIT_PER_MINUTE;
const REFUSAL = /^Too many sign-in attempts from your network\. Try again in \d+ seconds?\.$/;

// next-auth's credentials authorize() for a request from `ip`, as the Keyhold server stamps its peer.
function authorize(email: string, pw: string, ip: string) {
  const provider = authOptions().providers[0] as unknown as {
    options: { authorize: (c: Record<string, string>, req: { headers: Record<string, string> }) => Promise<unknown> };
  };
  fromClientIp(ip); // sets the peer token the headers below are signed with
  return provider.options.authorize(
    { email, password: pw },
    { headers: { [PEER_SIG_HEADER]: "test-peer-token", [PEER_HEADER]: ip } },
  );
}

describe("the per-IP sign-in throttle", () => {
  it("the sign-in form: the limit's worth of attempts for different emails, then rate_limited without hashing; another IP still signs in", async () => {
    expect(LIMIT).toBe(30);
    await createAccount({ email: "real@example.com", password: secret, confirmPassword: secret }, null);
    fromClientIp("203.0.113.40");
    for (let i = 0; i < LIMIT; i++) {
      expect(await signInAction({ email: `sprayed-${i}@example.com`, password: secret })).toMatchObject({
        ok: false,
        message: "Invalid email or password",
      });
    }
    passwordCalls.verifications = 0;
    const refused = await signInAction({ email: "real@example.com", password: secret });
    expect(refused).toMatchObject({ ok: false, code: "rate_limited", message: expect.stringMatching(REFUSAL) });
    expect(passwordCalls.verifications).toBe(0);

    fromClientIp("203.0.113.41");
    await withSession(null);
    expect(await redirectOf(signInAction({ email: "real@example.com", password: secret }))).toBe("/dashboard");
  });

  it("next-auth's credentials callback counts the same way", async () => {
    for (let i = 0; i < LIMIT; i++) {
      await expect(authorize(`other-${i}@example.com`, secret, "198.51.100.60")).rejects.toThrow(
        "Invalid email or password",
      );
    }
    passwordCalls.verifications = 0;
    await expect(authorize("real@example.com", secret, "198.51.100.60")).rejects.toThrow(REFUSAL);
    expect(passwordCalls.verifications).toBe(0);
    await expect(authorize("real@example.com", secret, "198.51.100.61")).resolves.toMatchObject({
      email: "real@example.com",
    });
  });

  it.runIf(env().KEYHOLD_TEST_DB === "postgres")(
    "two instances on the shared PostgreSQL store count one limit together",
    async () => {
      const original = rateLimiter();
      const a = new KeyRateLimiter({ kind: "postgres", url: db.current.url! });
      const b = new KeyRateLimiter({ kind: "postgres", url: db.current.url! });
      try {
        for (let i = 0; i < LIMIT; i++) {
          setRateLimiter(i % 2 === 0 ? a : b);
          await expect(authorize(`shared-${i}@example.com`, secret, "192.0.2.70")).rejects.toThrow(
            "Invalid email or password",
          );
        }
        setRateLimiter(a);
        await expect(authorize("real@example.com", secret, "192.0.2.70")).rejects.toThrow(REFUSAL);
        setRateLimiter(b);
        await expect(authorize("real@example.com", secret, "192.0.2.70")).rejects.toThrow(REFUSAL);
      } finally {
        setRateLimiter(original);
        await Promise.all([a.close(), b.close()]);
      }
    },
  );
});

afterAll(() => withSession(null));
