// Caps request bodies of everything the API app does not own (pages, server actions, /api/auth/*) before Next reads
// them, so the client gets a clean 413 and a closed connection, with the API's semantics (lib/api/request.ts).
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { isApiPath } from "../api/node-handler";

// Next's default serverActions.bodySizeLimit; keep the two in step if next.config.js ever sets another.
export const MAX_BODY_BYTES = 1024 * 1024;

const TOO_LARGE = `Request body larger than ${MAX_BODY_BYTES / 1024 / 1024} MB\n`;

// 413 with `Connection: close` (Node discards the unread body while it closes the socket); a response already under
// way cannot change its status, so its connection is cut instead.
function refuse(res: ServerResponse): void {
  if (res.headersSent) {
    res.socket?.destroy();
    return;
  }
  res.writeHead(413, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(TOO_LARGE),
    Connection: "close",
  });
  res.end(TOO_LARGE);
}

// Counts a body of unknown length (chunked) as Node's parser hands it to the request stream, and refuses it once it
// passes the cap: nothing beyond the cap reaches Next, and the socket stops being read (push returns false).
function countChunked(req: IncomingMessage, res: ServerResponse): void {
  let size = 0;
  let refused = false;
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (refused) return false;
    if (chunk !== null && chunk !== undefined) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        refused = true;
        refuse(res);
        return false;
      }
    }
    return push(chunk, encoding);
  };
}

// Wraps `handler`: outside the API app's paths, a declared Content-Length over MAX_BODY_BYTES gets 413 before a byte
// is read, and a chunked body 413 once it passes MAX_BODY_BYTES, each with `Connection: close`.
export function limitBodySize(handler: RequestListener): RequestListener {
  return (req, res) => {
    if (isApiPath(req.url ?? "/")) return handler(req, res);
    // Node's parser has already refused a malformed or duplicated Content-Length and one sent alongside Transfer-Encoding.
    const length = req.headers["content-length"];
    if (length !== undefined) {
      if (Number(length) > MAX_BODY_BYTES) return refuse(res);
    } else if (req.headers["transfer-encoding"] !== undefined) countChunked(req, res);
    return handler(req, res);
  };
}
