// Server actions posted from another origin: Next's own CSRF rule (next/dist/server/app-render/action-handler.js),
// applied before Next so that the answer is a 403 instead of the 500 Next throws.
import type { IncomingMessage, RequestListener } from "node:http";
import { isCsrfOriginAllowed } from "next/dist/server/app-render/csrf-protection";

const REFUSED = "Cross-origin server action refused\n";

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

// Whether Next would abort `req` as a cross-origin server action: a POST with a Next-Action header or a multipart
// form, whose Origin (its host, or "null", or unparsable) is neither the first X-Forwarded-Host (else Host) nor one
// of next.config.js's `experimental.serverActions.allowedOrigins`. A request without Origin passes, as in Next.
export function isCrossOriginAction(req: IncomingMessage, allowedOrigins: string[] = []): boolean {
  if (req.method !== "POST") return false;
  const contentType = first(req.headers["content-type"]);
  const fetchAction = typeof req.headers["next-action"] === "string";
  if (!fetchAction && !contentType?.startsWith("multipart/form-data")) return false;
  const origin = first(req.headers.origin);
  if (origin === undefined) return false;
  let originHost: string;
  try {
    originHost = origin === "null" ? "null" : new URL(origin).host;
  } catch {
    return true;
  }
  const host = first(req.headers["x-forwarded-host"])?.split(",")[0]?.trim() || first(req.headers.host);
  if (host !== undefined && originHost === host) return false;
  return !isCsrfOriginAllowed(originHost, allowedOrigins);
}

// Wraps `handler`: a cross-origin server action gets 403 (plain text, no stack trace) and never reaches Next.
export function refuseCrossOriginActions(handler: RequestListener, allowedOrigins: string[] = []): RequestListener {
  return (req, res) => {
    if (!isCrossOriginAction(req, allowedOrigins)) return handler(req, res);
    res.writeHead(403, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(REFUSED),
      Connection: "close",
    });
    res.end(REFUSED);
  };
}
