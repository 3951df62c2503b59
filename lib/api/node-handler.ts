// The API app on node:http: which requests it serves, and the listener scripts/server.ts (beside Next.js) and
// scripts/api-server.ts (alone) hand them to.
import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { app } from "./app";

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

// The app as a node:http listener. Alone, @hono/node-server may swap the global Request/Response for its lighter ones
// (faster answers); beside Next.js it must not, because NextResponse extends the global Response.
export function apiListener({ beside }: { beside: "next" | "nothing" }): Listener {
  return getRequestListener(app.fetch, { overrideGlobalObjects: beside === "nothing" });
}

// One listener for the whole port: the API's paths to the Hono app, everything else to `next`.
export function dispatchTo(next: Listener): Listener {
  const api = apiListener({ beside: "next" });
  return (req, res) => (isApiPath(req.url ?? "/") ? api(req, res) : next(req, res));
}
