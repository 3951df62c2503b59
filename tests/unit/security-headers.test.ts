import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { app } from "@/lib/api/app";
import { securityHeaders, setSecurityHeaders } from "@/lib/server/security-headers";

let server: Server | undefined;

afterEach(() => {
  server?.close();
});

// The headers of a GET to a page server (security headers set before its handler runs, as scripts/server.ts does for
// everything outside the API) whose handler is `handler` (by default it answers "ok").
async function headersOf(
  dev: boolean,
  handler: RequestListener = (_req, res) => res.end("ok"),
): Promise<IncomingHttpHeaders> {
  const headers = securityHeaders({ dev });
  server = createServer((req, res) => {
    setSecurityHeaders(res, headers);
    handler(req, res);
  });
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

describe("security headers on pages", () => {
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

  it("adds them to every way of writing the head: implicit, writeHead with headers, with a reason, with a raw list", async () => {
    const handlers: RequestListener[] = [
      (_req, res) => res.end("ok"),
      (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"),
      (_req, res) => res.writeHead(201, "Made", { "content-type": "text/plain" }).end("ok"),
      (_req, res) => res.writeHead(200, ["content-type", "text/plain"]).end("ok"),
      (_req, res) => {
        res.setHeader("cache-control", "no-store");
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      },
    ];
    for (const handler of handlers) {
      const headers = await headersOf(false, handler);
      server?.close();
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(directives(headers["content-security-policy"]).get("frame-ancestors")).toEqual(["'none'"]);
    }
  });

  it("lets the handler set one of them itself, with setHeader or in writeHead's headers (any case)", async () => {
    const bySetHeader = await headersOf(false, (_req, res) => {
      res.setHeader("X-Frame-Options", "SAMEORIGIN");
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
    server?.close();
    expect(bySetHeader["x-frame-options"]).toBe("SAMEORIGIN");
    expect(bySetHeader["x-content-type-options"]).toBe("nosniff");
    const byWriteHead = await headersOf(false, (_req, res) =>
      res.writeHead(200, { "content-security-policy": "default-src 'none'" }).end("ok"),
    );
    server?.close();
    expect(byWriteHead["content-security-policy"]).toBe("default-src 'none'");
    expect(byWriteHead["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    const byRawList = await headersOf(false, (_req, res) =>
      res.writeHead(200, ["Referrer-Policy", "no-referrer"]).end("ok"),
    );
    expect(byRawList["referrer-policy"]).toBe("no-referrer");
    expect(byRawList["x-frame-options"]).toBe("DENY");
  });
});

describe("security headers on the API's answers", () => {
  // The API app builds them into its own answers (no server layer adds them): every kind of answer carries them.
  it("are on JSON answers, errors, 404s, 405s, OPTIONS, the OpenAPI document, the docs page and its assets", async () => {
    const requests: [string, RequestInit?][] = [
      ["/api/v1/ping"],
      ["/api/v1/whoami"],
      ["/api/v1/whoami", { headers: { authorization: "Bearer kh_test_nope" } }],
      ["/api/v1/nothing-here"],
      ["/api/v1/ping", { method: "DELETE" }],
      ["/api/v1/ping", { method: "OPTIONS" }],
      ["/api/v1/openapi.json"],
      ["/api/v1/docs"],
      ["/api/v1/verify", { method: "POST", body: "{}" }],
      ["/api/metrics"],
    ];
    const statuses: number[] = [];
    for (const [path, init] of requests) {
      const response = await app.fetch(new Request(`http://localhost${path}`, init));
      statuses.push(response.status);
      expect(response.headers.get("x-frame-options"), path).toBe("DENY");
      expect(response.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(directives(response.headers.get("content-security-policy") ?? "").get("frame-ancestors"), path).toEqual([
        "'none'",
      ]);
    }
    expect(statuses).toEqual([200, 401, 401, 404, 405, 204, 200, 200, 404, 404]);
  });
});
