import { generateSync } from "otplib";
import { describe, expect, it } from "vitest";
import { checkTotp, createTotpSecret, totpUri, TOTP_PERIOD_S } from "@/lib/mfa/totp";

const secret = createTotpSecret();
// A fixed instant 10 s into a time step.
const step = 56_666_667;
const now = (step * TOTP_PERIOD_S + 10) * 1000;
const codeAt = (s: number) => generateSync({ secret, epoch: s * TOTP_PERIOD_S + 1 });

describe("TOTP", () => {
  it("makes a 20-byte base32 secret and an otpauth URI with issuer Keyhold and the email as label", () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, "ada+mfa@example.com"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Keyhold:ada+mfa@example.com");
    expect(uri.searchParams.get("issuer")).toBe("Keyhold");
    expect(uri.searchParams.get("secret")).toBe(secret);
  });

  it("accepts the current step and one step either side, reporting the matched step", () => {
    expect(checkTotp(secret, codeAt(step), { now })).toEqual({ ok: true, step });
    expect(checkTotp(secret, codeAt(step - 1), { now })).toEqual({ ok: true, step: step - 1 });
    expect(checkTotp(secret, codeAt(step + 1), { now })).toEqual({ ok: true, step: step + 1 });
  });

  it("refuses codes two steps away: an old one as expired, a future one as invalid", () => {
    expect(checkTotp(secret, codeAt(step - 2), { now })).toEqual({ ok: false, reason: "expired" });
    expect(checkTotp(secret, codeAt(step + 2), { now })).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a code that was never valid", () => {
    const wrong = String((Number(codeAt(step)) + 1) % 1_000_000).padStart(6, "0");
    expect(checkTotp(secret, wrong, { now })).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a replay: a code whose step is at or before the last accepted step", () => {
    expect(checkTotp(secret, codeAt(step), { now, lastStep: step })).toEqual({ ok: false, reason: "reused" });
    expect(checkTotp(secret, codeAt(step - 1), { now, lastStep: step })).toEqual({ ok: false, reason: "reused" });
    expect(checkTotp(secret, codeAt(step + 1), { now, lastStep: step })).toEqual({ ok: true, step: step + 1 });
  });
});
