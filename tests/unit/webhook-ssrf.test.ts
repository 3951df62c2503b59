// Webhook targets: only public unicast addresses pass (IPv4-mapped IPv6 judged by the IPv4 address it carries); URLs
// must be https without credentials unless private networks are allowed; every DNS answer must be public.
import { describe, expect, it } from "vitest";
import { isPublicAddress, parseWebhookUrl, resolveTarget, WebhookTargetError } from "@/lib/webhooks/ssrf";

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1",
    "127.8.9.10",
    "0.0.0.0",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "224.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd00:ec2::254",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "not an address",
  ])("refuses %s", (address) => expect(isPublicAddress(address)).toBe(false));

  it.each(["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])("accepts %s", (address) =>
    expect(isPublicAddress(address)).toBe(true),
  );
});

describe("parseWebhookUrl", () => {
  it("accepts https to a host name or a public address", () => {
    expect(parseWebhookUrl("https://hooks.example.com/in?x=1", false).hostname).toBe("hooks.example.com");
    expect(parseWebhookUrl("https://93.184.215.14:8443/", false).port).toBe("8443");
  });

  it.each([
    ["http://hooks.example.com/", /https/],
    ["ftp://hooks.example.com/", /https/],
    ["https://user:pw@hooks.example.com/", /password/],
    ["https://127.0.0.1/", /private/],
    ["https://0x7f.1/", /private/],
    ["https://[::1]/", /private/],
    ["https://[::ffff:a00:1]/", /private/],
    ["https://localhost/", /localhost/],
    ["https://api.localhost/", /localhost/],
    ["https://localhost./", /localhost/],
    ["//no-scheme", /absolute/],
  ])("refuses %s", (url, message) => expect(() => parseWebhookUrl(url, false)).toThrow(message));

  it("allows http and private addresses when private networks are allowed", () => {
    expect(parseWebhookUrl("http://127.0.0.1:8080/hook", true).port).toBe("8080");
    expect(() => parseWebhookUrl("ftp://127.0.0.1/", true)).toThrow(WebhookTargetError);
  });
});

describe("resolveTarget", () => {
  const url = new URL("https://hooks.example.com/");

  it("answers the first address when every answer is public", async () => {
    const resolver = async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "2606:4700:4700::1111", family: 6 },
    ];
    expect(await resolveTarget(url, { allowPrivate: false, resolver })).toEqual({
      address: "93.184.215.14",
      family: 4,
    });
  });

  it("refuses when any answer is private (a rebinding server can answer both)", async () => {
    const resolver = async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "169.254.169.254", family: 4 },
    ];
    await expect(resolveTarget(url, { allowPrivate: false, resolver })).rejects.toThrow(/169\.254\.169\.254/);
  });

  it("names a failed lookup", async () => {
    const resolver = async () => {
      throw Object.assign(new Error("nope"), { code: "ENOTFOUND" });
    };
    await expect(resolveTarget(url, { allowPrivate: false, resolver })).rejects.toThrow(/ENOTFOUND/);
  });
});
