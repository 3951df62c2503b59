// Security headers on every response the Node server sends (pages, API, static files, its own 413s).
import type { ServerResponse } from "node:http";

// Next's App Router streams inline <script> tags (the RSC payload); allowing them by nonce would force every page to render
// dynamically, so script-src takes 'unsafe-inline' and the rest of the policy does the limiting: no other origin for
// scripts, no plugins, no <base> hijack, forms post only here, and no page may frame ours (clickjacking).
// React's development tooling evaluates code and Next's hot reload talks over a websocket, so development adds both.
function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (the usage charts and tables) need 'unsafe-inline'.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

// The headers every response carries: the CSP, X-Frame-Options (for browsers without frame-ancestors), nosniff and a
// Referer trimmed to the origin on other sites.
export function securityHeaders({ dev }: { dev: boolean }): Readonly<Record<string, string>> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(dev),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
}

// The API's answers build these into their own header objects (lib/api/responses.ts); pages get them from
// setSecurityHeaders. A ServerResponse subclass adding them to every head cost the API ~15 % of its throughput
// (measured on /api/v1/ping: a subclass of ServerResponse alone, adding nothing, cost ~12 %).
export const API_SECURITY_HEADERS = securityHeaders({ dev: false });

// Sets the security headers on a response a page handler (Next.js) will write; the handler may set any of them itself.
export function setSecurityHeaders(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
  for (const name in headers) res.setHeader(name, headers[name]);
}
