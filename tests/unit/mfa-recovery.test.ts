import { describe, expect, it } from "vitest";
import { generateRecoveryCodes, hashRecoveryCode } from "@/lib/mfa/recovery";
import {
  mfaCodeSchema,
  recoveryCodeSchema,
  RECOVERY_CODE_MESSAGE,
  TOTP_CODE_MESSAGE,
  totpCodeSchema,
} from "@/lib/validations/mfa";

describe("recovery codes", () => {
  it("makes 10 distinct human-friendly codes", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
  });

  it("hashes per account, never containing the code", () => {
    const [code] = generateRecoveryCodes(1);
    const hash = hashRecoveryCode("user-a", code);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(code);
    expect(hashRecoveryCode("user-a", code)).toBe(hash);
    expect(hashRecoveryCode("user-b", code)).not.toBe(hash);
  });
});

describe("MFA code input", () => {
  it("accepts exactly six digits, ignoring spaces", () => {
    expect(totpCodeSchema.parse("123456")).toBe("123456");
    expect(totpCodeSchema.parse(" 123 456 ")).toBe("123456");
  });

  it.each(["12345", "1234567", "12345a", "abcdef", "", "12-456"])("refuses %j with one clear message", (value) => {
    const result = totpCodeSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message)).toEqual([TOTP_CODE_MESSAGE]);
  });

  it("normalises recovery codes (case, dash, spaces) and refuses other shapes", () => {
    expect(recoveryCodeSchema.parse("ABCDE-12345")).toBe("abcde-12345");
    expect(recoveryCodeSchema.parse(" abcde12345 ")).toBe("abcde-12345");
    for (const bad of ["abcd-1234", "abcde-123456", "abcde_12345", "123456"]) {
      expect(recoveryCodeSchema.safeParse(bad).error?.issues[0].message).toBe(RECOVERY_CODE_MESSAGE);
    }
  });

  it("routes the code by method", () => {
    expect(mfaCodeSchema.parse({ method: "totp", code: "000111" })).toEqual({ method: "totp", code: "000111" });
    expect(mfaCodeSchema.parse({ method: "recovery", code: "ABCDE12345" })).toEqual({
      method: "recovery",
      code: "abcde-12345",
    });
    expect(mfaCodeSchema.safeParse({ method: "totp", code: "abcde-12345" }).error?.issues[0].message).toBe(
      TOTP_CODE_MESSAGE,
    );
  });
});
