// Security headers on every response the Node server sends (pages, API, static files, its own 413s).
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders } from "node:http";

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

type Head = OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined;

// The response class for createServer({ ServerResponse }): every response carries the CSP, X-Frame-Options (for
// browsers without frame-ancestors), nosniff and a Referer trimmed to the origin on other sites, unless the handler set
// that header itself (setHeader, or writeHead's headers). They are added when the head is written, in the headers
// object writeHead receives: headers set with setHeader before the handler would push every answer through Node's
// slower path, where each of the answer's own headers is set and validated once more.
export function securedResponse({ dev }: { dev: boolean }): typeof ServerResponse {
  const security: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(dev),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
  const names = Object.keys(security).map((name) => [name, name.toLowerCase()] as const);
  const lowerNames = new Set(names.map(([, lower]) => lower));

  // The security headers the handler did not set (with setHeader, or in `head`), then `head` (writeHead's headers).
  function merged(res: ServerResponse, head: OutgoingHttpHeaders | undefined): OutgoingHttpHeaders {
    let own: Set<string> | undefined;
    if (head)
      for (const key in head) {
        const lower = key.toLowerCase();
        if (lowerNames.has(lower)) (own ??= new Set()).add(lower);
      }
    const result: OutgoingHttpHeaders = {};
    for (const [name, lower] of names) if (!own?.has(lower) && !res.hasHeader(name)) result[name] = security[name];
    return head ? Object.assign(result, head) : result;
  }

  return class SecuredResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
    writeHead(statusCode: number, reasonOrHead?: string | Head, maybeHead?: Head): this {
      const reason = typeof reasonOrHead === "string" ? reasonOrHead : undefined;
      const head = typeof reasonOrHead === "string" ? maybeHead : reasonOrHead;
      if (Array.isArray(head)) {
        // A flat [name, value, …] list is rare (not on the hot path): set what it does not name with setHeader.
        const named = new Set<string>();
        for (let i = 0; i < head.length; i += 2) named.add(String(head[i]).toLowerCase());
        for (const [name, lower] of names)
          if (!named.has(lower) && !this.hasHeader(name)) this.setHeader(name, security[name]);
        return reason === undefined ? super.writeHead(statusCode, head) : super.writeHead(statusCode, reason, head);
      }
      const headers = merged(this, head);
      return reason === undefined ? super.writeHead(statusCode, headers) : super.writeHead(statusCode, reason, headers);
    }
  };
}
