import { encode } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import { sessionCookieName } from "@/lib/auth/options";
import { safeNextPath } from "@/lib/auth/redirects";
import { env } from "@/lib/env";

const request = vi.hoisted(() => ({ cookie: "" }));

vi.mock("next/headers", () => ({
  cookies: async () => ({ get: (name: string) => (name === sessionCookieName() && request.cookie ? { name, value: request.cookie } : undefined) }),
  headers: async () => new Headers({}),
}));

describe("safeNextPath", () => {
  it.each([
    ["/dashboard/keys", "/dashboard/keys"],
    ["/admin?x=1", "/admin?x=1"],
    ["/dashboard/keys?x=1#y", "/dashboard/keys?x=1#y"],
    // Encoded slashes stay part of one path segment on our own origin.
    ["/%2F%2Fevil.com", "/%2F%2Fevil.com"],
    ["/%09/evil.com", "/%09/evil.com"],
    ["//evil.example", "/dashboard"],
    ["/\\evil.example", "/dashboard"],
    ["/\\/evil.example", "/dashboard"],
    ["https://evil.example", "/dashboard"],
    ["javascript:alert(1)", "/dashboard"],
    ["%2F%2Fevil.com", "/dashboard"],
    // Browsers strip tabs and newlines from URLs, so these would become //evil.com.
    ["/\t/evil.com", "/dashboard"],
    ["/\n/evil.com", "/dashboard"],
    ["/\r/evil.com", "/dashboard"],
    ["/\r\n/evil.com", "/dashboard"],
    ["\t//evil.com", "/dashboard"],
    ["/dashboard\u0000", "/dashboard"],
    ["/dashboard\u007f", "/dashboard"],
    ["/dashboard\u0085", "/dashboard"],
    ["/dashboard\\keys", "/dashboard"],
    // Dot segments resolve to a protocol-relative path.
    ["/.//evil.com", "/dashboard"],
    ["/a/..//evil.com", "/dashboard"],
    ["/%2e%2e//evil.com", "/dashboard"],
    [null, "/dashboard"],
    [undefined, "/dashboard"],
    ["", "/dashboard"],
  ])("%j → %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});

// The page redirects a verified session to `next` with redirect(); the digest carries the target.
describe("GET /login/mfa", () => {
  async function redirectTarget(next: string): Promise<string> {
    const { default: MfaChallengePage } = await import("@/app/(auth)/login/mfa/page");
    request.cookie = await encode({ token: { sub: "user-1", mfa: "verified" }, secret: env().authSecret });
    const thrown = await MfaChallengePage({ searchParams: Promise.resolve({ next }) }).then(
      () => null,
      (err: unknown) => err as { digest?: string },
    );
    const digest = thrown?.digest ?? "";
    expect(digest).toMatch(/^NEXT_REDIRECT;/);
    return digest.split(";")[2];
  }

  it.each(["/\t/evil.com", "/\n/evil.com", "/\r/evil.com", "/.//evil.com"])("sends a verified session with next=%j to /dashboard", async (next) => {
    expect(await redirectTarget(next)).toBe("/dashboard");
  });

  it("keeps a local next", async () => {
    expect(await redirectTarget("/dashboard/keys?x=1#y")).toBe("/dashboard/keys?x=1#y");
  });
});
