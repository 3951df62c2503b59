import { describe, expect, it } from "vitest";
import { compileAllowlist, parseAllowlistEntry } from "@/lib/ip/allowlist";
import { ipAllowlistSchema } from "@/lib/validations/ip-allowlist";

describe("parseAllowlistEntry", () => {
  it.each([
    // [input, normalised value, normalised from input?]
    ["203.0.113.7", "203.0.113.7", false],
    ["203.0.113.7/32", "203.0.113.7", true],
    ["10.0.0.0/8", "10.0.0.0/8", false],
    ["10.0.0.1/24", "10.0.0.0/24", true],
    ["10.1.2.3/0", "0.0.0.0/0", true],
    ["0.0.0.0/0", "0.0.0.0/0", false],
    ["  192.168.1.0/24  ", "192.168.1.0/24", false],
    ["2001:db8::1", "2001:db8::1", false],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1", true],
    ["2001:DB8::/32", "2001:db8::/32", true],
    ["2001:db8::1/64", "2001:db8::/64", true],
    ["::1", "::1", false],
    ["::/0", "::/0", false],
    ["::1/128", "::1", true],
    ["fe80::/10", "fe80::/10", false],
    ["::ffff:10.0.0.1", "10.0.0.1", true],
    ["::ffff:10.0.0.0/104", "10.0.0.0/8", true],
    ["::ffff:0a00:0001", "10.0.0.1", true],
  ])("%s → %s", (input, value, normalised) => {
    const parsed = parseAllowlistEntry(input);
    expect(parsed).toMatchObject({ ok: true, value });
    expect(parsed.ok && parsed.normalisedFrom !== undefined).toBe(normalised);
  });

  it.each([
    ["10.0.0.300", "10.0.0.300 is not an IP address"],
    ["10.0.0.1/33", "/33 is too long for IPv4"],
    ["2001:db8::/129", "/129 is too long for IPv6"],
    ["10.0.0.0/abc", "/abc is not a prefix length"],
    ["10.0.0.0/", "/ is not a prefix length"],
    ["10.0.0.0/-1", "/-1 is not a prefix length"],
    ["010.0.0.1", "010.0.0.1 is not an IP address"],
    ["10.0.0.01", "10.0.0.01 is not an IP address"],
    ["10.0.1", "10.0.1 is not an IP address"],
    ["167772161", "167772161 is not an IP address"],
    ["0x0a.0.0.1", "0x0a.0.0.1 is not an IP address"],
    ["1.2.3.4.5", "1.2.3.4.5 is not an IP address"],
    ["2001:db8:::1", "2001:db8:::1 is not an IP address"],
    ["2001:db8::g", "2001:db8::g is not an IP address"],
    ["fe80::1%eth0", "fe80::1%eth0 has a zone id, which an allowlist cannot match"],
    ["example.com", "example.com is not an IP address"],
    ["", "Enter an IP address or CIDR range"],
    ["   ", "Enter an IP address or CIDR range"],
    ["10.0.0.0/8/8", "/8/8 is not a prefix length"],
    ["<script>", "<script> is not an IP address"],
  ])("%j is refused: %s", (input, error) => {
    expect(parseAllowlistEntry(input)).toEqual({ ok: false, error });
  });
});

describe("compileAllowlist matching", () => {
  const list = compileAllowlist([
    { value: "10.0.0.0/24" },
    { value: "203.0.113.7" },
    { value: "2001:db8::/32" },
    { value: "::1" },
  ]);

  it.each([
    ["10.0.0.0", true],
    ["10.0.0.255", true],
    ["10.0.1.0", false],
    ["9.255.255.255", false],
    ["203.0.113.7", true],
    ["203.0.113.8", false],
    ["::ffff:10.0.0.5", true],
    ["::ffff:203.0.113.7", true],
    ["::ffff:10.0.1.5", false],
    ["2001:db8:ffff::1", true],
    ["2001:0db8::abcd", true],
    ["2001:db9::1", false],
    ["::1", true],
    ["::2", false],
    ["fe80::1%eth0", false],
    ["2001:db8::1%2", true],
    ["not-an-ip", false],
    ["", false],
    [null, false],
  ])("%s → %s", (address, allowed) => {
    expect(list.allows(address)).toBe(allowed);
  });

  it("an empty list allows any address, even an unknown one", () => {
    expect(compileAllowlist([]).allows("198.51.100.1")).toBe(true);
    expect(compileAllowlist(undefined).allows(null)).toBe(true);
  });

  it("/0 ranges match every address of their family only", () => {
    expect(compileAllowlist([{ value: "0.0.0.0/0" }]).allows("198.51.100.1")).toBe(true);
    expect(compileAllowlist([{ value: "0.0.0.0/0" }]).allows("2001:db8::1")).toBe(false);
    expect(compileAllowlist([{ value: "::/0" }]).allows("2001:db8::1")).toBe(true);
  });

  it("/32 and /128 match exactly one address", () => {
    expect(compileAllowlist([{ value: "198.51.100.1" }]).allows("198.51.100.1")).toBe(true);
    expect(compileAllowlist([{ value: "198.51.100.1" }]).allows("198.51.100.2")).toBe(false);
    expect(compileAllowlist([{ value: "2001:db8::5" }]).allows("2001:db8::5")).toBe(true);
    expect(compileAllowlist([{ value: "2001:db8::5" }]).allows("2001:db8::6")).toBe(false);
  });
});

describe("ipAllowlistSchema", () => {
  it("normalises entries and keeps notes", () => {
    expect(ipAllowlistSchema.parse([{ value: "10.0.0.1/24", note: "office" }, { value: "::ffff:1.2.3.4" }])).toEqual([
      { value: "10.0.0.0/24", note: "office" },
      { value: "1.2.3.4" },
    ]);
  });

  it("names each bad entry by its position", () => {
    const result = ipAllowlistSchema.safeParse([
      { value: "10.0.0.0/24" },
      { value: "10.0.0.300" },
      { value: "10.0.0.9/24" },
    ]);
    expect(result.success).toBe(false);
    const issues = result.success ? [] : result.error.issues.map((i) => [i.path.join("."), i.message]);
    expect(issues).toEqual([
      ["1.value", "10.0.0.300 is not an IP address"],
      ["2.value", "10.0.0.0/24 is already in the list (entry 1)"],
    ]);
  });

  it("refuses more than 100 entries", () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ value: `10.0.${Math.floor(i / 256)}.${i % 256}` }));
    const result = ipAllowlistSchema.safeParse(many);
    expect(result.success).toBe(false);
    expect(result.success ? "" : result.error.issues[0].message).toBe("At most 100 entries per key");
    expect(ipAllowlistSchema.safeParse(many.slice(0, 100)).success).toBe(true);
  });
});
