import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { reissueSessionToken } from "@/lib/auth/session-cookie";
import { env } from "@/lib/env";

const secret = env().authSecret;

describe("session cookie re-issue", () => {
  it("patches the token, keeps its subject, role and expiry, and sets next-auth's cookie attributes", async () => {
    const raw = await encode({
      token: { sub: "user-1", email: "a@example.com", role: "USER", mfa: "pending" },
      secret,
      maxAge: 3600,
    });
    const original = await decode({ token: raw, secret });
    const stepUpAt = Date.now();
    const next = await reissueSessionToken(raw, { mfa: "verified", stepUpAt });
    expect(next).not.toBeNull();
    const token = await decode({ token: next!.value, secret });
    expect(token).toMatchObject({ sub: "user-1", email: "a@example.com", role: "USER", mfa: "verified", stepUpAt });
    // encode() stamps its own clock, so the re-issued exp can only differ if a second boundary passed in between.
    expect(Math.abs((token!.exp as number) - (original!.exp as number))).toBeLessThanOrEqual(1);
    expect(next!.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/", secure: false });
    expect(next!.options.expires.getTime()).toBe((original!.exp as number) * 1000);
  });

  it("refuses a missing, forged or expired token", async () => {
    expect(await reissueSessionToken(undefined, { mfa: "verified" })).toBeNull();
    expect(await reissueSessionToken("not-a-jwt", { mfa: "verified" })).toBeNull();
    const other = await encode({
      token: { sub: "user-1" },
      secret: "another-secret-another-secret-0123456789",
      maxAge: 3600,
    });
    expect(await reissueSessionToken(other, { mfa: "verified" })).toBeNull();
    const expired = await encode({ token: { sub: "user-1" }, secret, maxAge: -60 });
    expect(await reissueSessionToken(expired, { mfa: "verified" })).toBeNull();
  });
});
