import { describe, expect, it } from "vitest";
import { normaliseIp, parseTrustProxy, resolveClientIp } from "@/lib/ip/client-ip";

describe("normaliseIp", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["fe80::1%eth0", "fe80::1"],
    ["garbage", null],
    ["", null],
  ])("%s → %s", (input, expected) => {
    expect(normaliseIp(input)).toBe(expected);
  });
});

describe("resolveClientIp", () => {
  const none = parseTrustProxy(undefined);
  const oneHop = parseTrustProxy("1");
  const ranges = parseTrustProxy("10.0.0.0/8, 127.0.0.1");

  it("ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(resolveClientIp("198.51.100.9", "1.2.3.4", none)).toBe("198.51.100.9");
    expect(parseTrustProxy("false")).toEqual({ kind: "none" });
  });

  it("takes the address one trusted hop back", () => {
    expect(resolveClientIp("10.0.0.2", "1.2.3.4, 203.0.113.5", oneHop)).toBe("203.0.113.5");
    expect(resolveClientIp("10.0.0.2", null, oneHop)).toBe("10.0.0.2");
  });

  it("walks back through trusted ranges and stops at the first untrusted address", () => {
    // A client forging "6.6.6.6" ahead of its real address cannot get past the first untrusted hop.
    expect(resolveClientIp("127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.1.1", ranges)).toBe("203.0.113.5");
    expect(resolveClientIp("198.51.100.9", "6.6.6.6", ranges)).toBe("198.51.100.9");
    expect(resolveClientIp("::ffff:127.0.0.1", "203.0.113.5", ranges)).toBe("203.0.113.5");
  });

  it("keeps the last trusted address when the header holds garbage", () => {
    expect(resolveClientIp("127.0.0.1", "not-an-ip", ranges)).toBe("127.0.0.1");
  });

  it("refuses a malformed TRUST_PROXY entry", () => {
    expect(() => parseTrustProxy("10.0.0.0/8, nonsense")).toThrow(/"nonsense" is not an address or CIDR range/);
  });
});
