import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, SecretBoxError, secretBoxKey } from "@/lib/secret-box";

const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

// Flips one bit of the byte at `index` in the base64url part `part` (1 = iv, 2 = tag, 3 = ciphertext).
function tamper(value: string, part: number, index = 0): string {
  const parts = value.split(":");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[index] ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(":");
}

describe("TOTP secret encryption", () => {
  it("round-trips, in the versioned format, with a fresh IV each time", () => {
    const a = encryptSecret(secret);
    const b = encryptSecret(secret);
    expect(a).toMatch(/^v1:[\w-]{16}:[\w-]{22}:[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(secret);
    expect(decryptSecret(a)).toBe(secret);
    expect(decryptSecret(b)).toBe(secret);
  });

  it("derives a stable 32-byte key from the auth secret when MFA_ENCRYPTION_KEY is unset", () => {
    expect(secretBoxKey()).toHaveLength(32);
    expect(secretBoxKey().equals(secretBoxKey())).toBe(true);
  });

  it.each([
    ["IV", 1],
    ["auth tag", 2],
    ["ciphertext", 3],
  ])("rejects a flipped bit in the %s", (_name, part) => {
    const value = encryptSecret(secret);
    expect(() => decryptSecret(tamper(value, part))).toThrow(SecretBoxError);
    expect(() => decryptSecret(tamper(value, part, 5))).toThrow(SecretBoxError);
  });

  it("rejects a value encrypted under another key", () => {
    const other = randomBytes(32);
    const value = encryptSecret(secret, other);
    expect(decryptSecret(value, other)).toBe(secret);
    expect(() => decryptSecret(value)).toThrow(SecretBoxError);
  });

  it.each([
    "",
    "v1:abc",
    "v2:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAA:AAAA",
    "v1:AAAA:AAAAAAAAAAAAAAAAAAAAAA:AAAA",
    "v1:a:b:c:d",
  ])("rejects the malformed value %j", (value) => {
    expect(() => decryptSecret(value)).toThrow(SecretBoxError);
  });
});
