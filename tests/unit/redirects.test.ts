// safeNextPath: where a sign-in may send the browser afterwards (finding 2: open redirect).
import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/auth/redirects";

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
