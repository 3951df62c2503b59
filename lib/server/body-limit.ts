// Refuses request bodies that Next would reject anyway before Next reads them, so the client gets a clean 413 and a closed connection.
import type { IncomingMessage, RequestListener } from "node:http";

// Next's default serverActions.bodySizeLimit; keep the two in step if next.config.js ever sets another.
export const MAX_BODY_BYTES = 1024 * 1024;

interface Refusal {
  status: number;
  message: string;
}

const TOO_LARGE: Refusal = { status: 413, message: `Request body larger than ${MAX_BODY_BYTES / 1024 / 1024} MB\n` };
// Browsers send no chunked bodies over HTTP/1.1 (fetch upload streaming needs HTTP/2), so pages and server actions
// never see one; refusing them spares counting bytes inside a stream that Next reads.
const LENGTH_REQUIRED: Refusal = { status: 411, message: "Request body needs a Content-Length\n" };

// API routes keep their own limits; everything else (pages, server actions) is Next's, limited here.
function isApiPath(url: string | undefined): boolean {
  return new URL(url ?? "/", "http://localhost").pathname.startsWith("/api/");
}

function refusal(req: IncomingMessage): Refusal | null {
  if (isApiPath(req.url)) return null;
  // Node's parser has already refused a malformed or duplicated Content-Length and one sent alongside Transfer-Encoding.
  const length = req.headers["content-length"];
  if (length !== undefined) return Number(length) > MAX_BODY_BYTES ? TOO_LARGE : null;
  return req.headers["transfer-encoding"] !== undefined ? LENGTH_REQUIRED : null;
}

// Wraps `handler`: outside /api/, a body over MAX_BODY_BYTES gets 413 and one of unknown length (chunked) 411, each with
// `Connection: close`; Node discards the unread body while it closes the socket.
export function limitBodySize(handler: RequestListener): RequestListener {
  return (req, res) => {
    const refused = refusal(req);
    if (!refused) return handler(req, res);
    res.writeHead(refused.status, {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(refused.message),
      Connection: "close",
    });
    res.end(refused.message);
  };
}
