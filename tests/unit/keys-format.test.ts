import { describe, expect, it } from "vitest";
import { checksum, displayPrefix, generateKey, parseKey } from "@/lib/keys/format";
import { hashKey } from "@/lib/keys/hash";
import { hasScope, normaliseScopes } from "@/lib/keys/scopes";
import { createKeySchema, rotateKeySchema, updateKeySchema } from "@/lib/validations/keys";
import { fieldErrors } from "@/lib/validations/field-errors";

describe("key format", () => {
  it("generates kh_<env>_ + 32 base62 + 6 base62 checksum, with a 12-character prefix", () => {
    for (const environment of ["live", "test"] as const) {
      const { secret, prefix } = generateKey(environment);
      expect(secret).toMatch(new RegExp(`^kh_${environment}_[0-9A-Za-z]{38}$`));
      expect(prefix).toBe(secret.slice(0, 12));
      expect(displayPrefix(secret)).toHaveLength(12);
      expect(parseKey(secret)).toEqual({ environment });
    }
  });

  it("never repeats a secret", () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateKey("live").secret));
    expect(seen.size).toBe(2000);
  });

  it("checksum is the base62 CRC32 of everything before it (zero-padded to 6)", () => {
    // CRC32("hello") = 907060870 = 0x3610A686
    let n = 907060870;
    let expected = "";
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (let i = 0; i < 6; i++) {
      expected = alphabet[n % 62] + expected;
      n = Math.floor(n / 62);
    }
    expect(checksum("hello")).toBe(expected);
    expect(checksum("")).toBe("000000");
  });

  it("rejects a mistyped character, a swapped environment, wrong lengths and foreign shapes", () => {
    const { secret } = generateKey("live");
    const i = 20;
    const typo = secret.slice(0, i) + (secret[i] === "a" ? "b" : "a") + secret.slice(i + 1);
    expect(parseKey(typo)).toBeNull();
    expect(parseKey(secret.replace("kh_live_", "kh_test_"))).toBeNull();
    expect(parseKey(secret.slice(0, -1))).toBeNull();
    expect(parseKey(secret + "x")).toBeNull();
    expect(parseKey("")).toBeNull();
    expect(parseKey("sk_live_" + secret.slice(8))).toBeNull();
    expect(parseKey(secret.slice(0, -6) + "!!!!!!")).toBeNull();
    expect(parseKey(` ${secret}`)).toBeNull();
  });
});

describe("hashing", () => {
  it("is the SHA-256 hex of the whole secret, deterministic and distinct per secret", () => {
    expect(hashKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const a = generateKey("test").secret;
    const b = generateKey("test").secret;
    expect(hashKey(a)).toBe(hashKey(a));
    expect(hashKey(a)).not.toBe(hashKey(b));
    expect(hashKey(a)).not.toContain(a.slice(8));
  });
});

describe("scopes", () => {
  it("admin implies write implies read, never the other way", () => {
    expect(hasScope(["admin"], "read")).toBe(true);
    expect(hasScope(["admin"], "write")).toBe(true);
    expect(hasScope(["write"], "read")).toBe(true);
    expect(hasScope(["write"], "admin")).toBe(false);
    expect(hasScope(["read"], "write")).toBe(false);
    expect(hasScope([], "read")).toBe(false);
  });

  it("normalises to distinct scopes in canonical order", () => {
    expect(normaliseScopes(["admin", "read", "admin"])).toEqual(["read", "admin"]);
  });
});

describe("key schemas", () => {
  const future = new Date(Date.now() + 86_400_000).toISOString();

  it("accepts a valid create input and defaults expiry to never", () => {
    const parsed = createKeySchema.parse({ name: "  ci  ", environment: "test", scopes: ["write", "read"] });
    expect(parsed).toEqual({
      name: "ci",
      environment: "test",
      scopes: ["read", "write"],
      expiresAt: null,
      ipAllowlist: [],
      rateLimit: null,
    });
    expect(
      createKeySchema.parse({ name: "x", environment: "live", scopes: ["read"], expiresAt: future }).expiresAt,
    ).toEqual(new Date(future));
  });

  it.each([
    [{ name: "", environment: "live", scopes: ["read"] }, "name", "Name is required"],
    [{ name: "x".repeat(65), environment: "live", scopes: ["read"] }, "name", "Name must be at most 64 characters"],
    [{ name: "a", environment: "prod", scopes: ["read"] }, "environment", "Environment must be live or test"],
    [{ name: "a", environment: "live", scopes: [] }, "scopes", "Choose at least one scope"],
    [{ name: "a", environment: "live", scopes: ["root"] }, "scopes", "Unknown scope: use read, write or admin"],
    [
      { name: "a", environment: "live", scopes: ["read"], expiresAt: "2001-01-01T00:00:00Z" },
      "expiresAt",
      "Expiry must be in the future",
    ],
    [
      { name: "a", environment: "live", scopes: ["read"], expiresAt: "tomorrow" },
      "expiresAt",
      "Expiry must be an ISO 8601 date-time or null",
    ],
    [{ name: "a", environment: "live", scopes: ["read"], owner: "x" }, "owner", "Unknown field: owner"],
    [
      { name: "a", environment: "live", scopes: ["read"], ipAllowlist: [{ value: "10.0.0.300" }] },
      "ipAllowlist.0.value",
      "10.0.0.300 is not an IP address",
    ],
    [
      { name: "a", environment: "live", scopes: ["read"], ipAllowlist: "10.0.0.1" },
      "ipAllowlist",
      "ipAllowlist must be a list of entries",
    ],
    [
      { name: "a", environment: "live", scopes: ["read"], rateLimit: 0 },
      "rateLimit",
      "Rate limit must be at least 1 request per minute",
    ],
    [
      { name: "a", environment: "live", scopes: ["read"], rateLimit: -5 },
      "rateLimit",
      "Rate limit must be at least 1 request per minute",
    ],
    [
      { name: "a", environment: "live", scopes: ["read"], rateLimit: 1e9 },
      "rateLimit",
      "Rate limit must be at most 100000 requests per minute",
    ],
    [
      { name: "a", environment: "live", scopes: ["read"], rateLimit: 1.5 },
      "rateLimit",
      "Rate limit must be a whole number of requests per minute",
    ],
    [
      { name: "a", environment: "live", scopes: ["read"], rateLimit: "60" },
      "rateLimit",
      "Rate limit must be a number of requests per minute, or null for the plan's default",
    ],
  ])("refuses %j on %s", (input, field, message) => {
    const result = createKeySchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)[field]).toBe(message);
  });

  it("update needs at least one field; rotate grace is 0..604800 whole seconds", () => {
    expect(fieldErrors(updateKeySchema.safeParse({}).error!).body).toBe(
      "Send at least one of name, scopes, permissions, expiresAt, ipAllowlist, rateLimit, credits",
    );
    expect(updateKeySchema.parse({ rateLimit: null })).toEqual({ rateLimit: null });
    expect(updateKeySchema.parse({ ipAllowlist: [{ value: "::ffff:10.0.0.1" }] })).toEqual({
      ipAllowlist: [{ value: "10.0.0.1" }],
    });
    expect(updateKeySchema.parse({ expiresAt: null })).toEqual({ expiresAt: null });
    expect(rotateKeySchema.parse({})).toEqual({ gracePeriodSeconds: 0 });
    expect(rotateKeySchema.parse({ gracePeriodSeconds: 604800 })).toEqual({ gracePeriodSeconds: 604800 });
    expect(fieldErrors(rotateKeySchema.safeParse({ gracePeriodSeconds: 604801 }).error!).gracePeriodSeconds).toMatch(
      /at most 604800/,
    );
    expect(fieldErrors(rotateKeySchema.safeParse({ gracePeriodSeconds: -1 }).error!).gracePeriodSeconds).toMatch(
      /negative/,
    );
    expect(fieldErrors(rotateKeySchema.safeParse({ gracePeriodSeconds: 1.5 }).error!).gracePeriodSeconds).toMatch(
      /whole/,
    );
  });
});
