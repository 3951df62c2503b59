// GET /login/mfa with a verified session redirects to `next` only when it stays on this origin (finding 2). The page,
// session decoding and database are real; only Next's request context is supplied.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { withTestDb } from "../helpers/db";
import { withSession } from "../helpers/next-request";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);

withTestDb();
let userId = "";

beforeAll(async () => {
  const password = "a long enough password";
  userId = (await createAccount({ email: "mfa-redirect@example.com", password, confirmPassword: password }, null)).id;
});

// The page redirects a verified session to `next` with redirect(); the digest carries the target.
describe("GET /login/mfa", () => {
  async function redirectTarget(next: string): Promise<string> {
    const { default: MfaChallengePage } = await import("@/app/(auth)/login/mfa/page");
    await withSession({ sub: userId, mfa: "verified", sv: 0 });
    const thrown = await MfaChallengePage({ searchParams: Promise.resolve({ next }) }).then(
      () => null,
      (err: unknown) => err as { digest?: string },
    );
    const digest = thrown?.digest ?? "";
    expect(digest).toMatch(/^NEXT_REDIRECT;/);
    return digest.split(";")[2];
  }

  it.each(["/\t/evil.com", "/\n/evil.com", "/\r/evil.com", "/.//evil.com"])(
    "sends a verified session with next=%j to /dashboard",
    async (next) => {
      expect(await redirectTarget(next)).toBe("/dashboard");
    },
  );

  it("keeps a local next", async () => {
    expect(await redirectTarget("/dashboard/keys?x=1#y")).toBe("/dashboard/keys?x=1#y");
  });
});
