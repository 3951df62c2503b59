// The API app on node:http: which requests it serves, and the listener scripts/server.ts (beside Next.js) and
// scripts/api-server.ts (alone) hand them to.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { app } from "./app";
import { setResponseClass } from "./responses";
import { peerStamp } from "../server/peer-stamp";

type Listener = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const API_PREFIXES = ["/api/v1", "/api/health", "/api/metrics"];

// Whether a request target (path and query, as node:http gives it) belongs to the API app: /api/v1/**, /api/health,
// /api/metrics, not /api/v1x or /api/healthcheck.
export function isApiPath(target: string): boolean {
  for (const prefix of API_PREFIXES) {
    if (target.startsWith(prefix)) {
      const next = target.charCodeAt(prefix.length);
      // End, "/", "?"
      if (Number.isNaN(next) || next === 47 || next === 63) return true;
    }
  }
  return false;
}

// The app as a node:http listener. Alone, @hono/node-server swaps the global Request/Response for its lighter ones.
// Beside Next.js the globals must stay (NextResponse extends the global Response), but the API's own answers
// (lib/api/responses.ts) are still built with the lighter class, which the listener writes to the socket without
// making a WHATWG Response and reading its body stream: that halves the API's CPU per request in `npm start`.
export function apiListener({ beside }: { beside: "next" | "nothing" }): Listener {
  if (beside === "nothing") {
    const listener = getRequestListener(app.fetch);
    setResponseClass(globalThis.Response);
    return listener;
  }
  setResponseClass(lightweightResponseClass());
  return getRequestListener(app.fetch, { overrideGlobalObjects: false });
}

// @hono/node-server's lightweight Response class (a Response by prototype and instanceof). The library exports it
// only by installing it as the global when a listener is made with overrideGlobalObjects; take it from there and put
// the globals back in the same synchronous step, so no other module (Next.js's) ever sees them swapped.
function lightweightResponseClass(): typeof Response {
  const saved = { Request: globalThis.Request, Response: globalThis.Response };
  getRequestListener(() => new Response(null), { overrideGlobalObjects: true });
  const light = globalThis.Response;
  Object.defineProperty(globalThis, "Request", { value: saved.Request });
  Object.defineProperty(globalThis, "Response", { value: saved.Response });
  return light;
}

// One listener for the whole port: the API's paths to the Hono app, everything else to `next`.
export function dispatchTo(next: Listener): Listener {
  const api = apiListener({ beside: "next" });
  return (req, res) => (isApiPath(req.url ?? "/") ? api(req, res) : next(req, res));
}

// The API app alone on a node:http server (scripts/api-server.ts, scripts/fixture-server.ts), each request stamped with
// its peer address. Every answer of the API app carries the security headers itself (lib/api/responses.ts).
export function apiServer(): Server {
  const stamp = peerStamp();
  const handle = apiListener({ beside: "nothing" });
  return createServer((req, res) => {
    stamp(req);
    void handle(req, res);
  });
}
