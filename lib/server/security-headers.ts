// Security headers on every response the Node server sends (pages, API, static files, its own 413s).
import type { RequestListener } from "node:http";

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

// Wraps `handler` so every response carries the CSP, X-Frame-Options (for browsers without frame-ancestors), nosniff and
// a Referer trimmed to the origin on other sites; set before the handler runs, so it may still override one.
export function withSecurityHeaders(handler: RequestListener, { dev }: { dev: boolean }): RequestListener {
  const headers = {
    "Content-Security-Policy": contentSecurityPolicy(dev),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
  return (req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    return handler(req, res);
  };
}
