import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { withSecurityHeaders } from "@/lib/server/security-headers";

let server: Server | undefined;

afterEach(() => {
  server?.close();
});

// The headers of a GET to a server whose handler, wrapped, answers "ok".
async function headersOf(dev: boolean): Promise<IncomingHttpHeaders> {
  server = createServer(withSecurityHeaders((_req, res) => res.end("ok"), { dev }));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/dashboard/keys`);
  await response.text();
  return Object.fromEntries(response.headers);
}

// The CSP as a map from directive to its sources.
function directives(csp: string | string[] | undefined): Map<string, string[]> {
  return new Map(
    String(csp)
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

describe("withSecurityHeaders", () => {
  it("forbids framing and sniffing, trims the Referer and restricts sources", async () => {
    const headers = await headersOf(false);
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    const csp = directives(headers["content-security-policy"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("script-src")).toEqual(["'self'", "'unsafe-inline'"]);
  });

  it("allows eval (React's development tooling) only in development", async () => {
    const csp = directives((await headersOf(true))["content-security-policy"]);
    expect(csp.get("script-src")).toContain("'unsafe-eval'");
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
  });
});
