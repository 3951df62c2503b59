// Keyhold's HTTP server: the API app (lib/api/app.ts) for /api/v1/**, /api/health and /api/metrics, Next.js for the
// rest, behind a thin layer that adds security headers to pages, refuses oversized page/action bodies and cross-origin server
// actions (403 where Next answers 500), stamps each request with
// its TCP peer address (Next itself keeps a client-sent X-Forwarded-For), and drains on SIGTERM/SIGINT.
import { createServer } from "node:http";
import next from "next";
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from "next/constants";
import loadConfig from "next/dist/server/config";
import { dispatchTo, isApiPath } from "../lib/api/node-handler";
import { env } from "../lib/env";
import { startEventWorker } from "../lib/webhooks/worker";
import { refuseCrossOriginActions } from "../lib/server/action-origin";
import { limitBodySize } from "../lib/server/body-limit";
import { surviveClosedOutput } from "../lib/server/closed-output";
import { exitGracefully } from "../lib/server/graceful-shutdown";
import { peerStamp } from "../lib/server/peer-stamp";
import { securityHeaders, setSecurityHeaders } from "../lib/server/security-headers";

async function main() {
  surviveClosedOutput();
  const dev = process.argv.includes("--dev");
  const { PORT: port, HOSTNAME, SHUTDOWN_DEADLINE_MS } = env();
  const hostname = HOSTNAME ?? "0.0.0.0";
  const stamp = peerStamp();

  const app = next({ dev, hostname, port });
  const handle = dispatchTo(app.getRequestHandler());
  await app.prepare();

  const pageHeaders = securityHeaders({ dev });
  // The same allowed origins Next checks server actions against.
  const config = await loadConfig(dev ? PHASE_DEVELOPMENT_SERVER : PHASE_PRODUCTION_SERVER, process.cwd());
  const allowedOrigins = config.experimental?.serverActions?.allowedOrigins ?? [];
  const stamped = limitBodySize(
    refuseCrossOriginActions((req, res) => {
      stamp(req);
      void handle(req, res);
    }, allowedOrigins),
  );
  // The API's answers carry the security headers themselves; everything else (pages, assets, 413s) gets them here.
  const server = createServer((req, res) => {
    if (!isApiPath(req.url ?? "/")) setSecurityHeaders(res, pageHeaders);
    stamped(req, res);
  });
  server.keepAliveTimeout = 65_000;
  // In development nothing is worth draining and the HMR websocket never ends by itself, so stop at once like `next dev`.
  exitGracefully(server, { deadlineMs: dev ? 0 : SHUTDOWN_DEADLINE_MS });
  server.listen(port, hostname, () => {
    console.log(`Keyhold ${dev ? "(development) " : ""}listening on http://localhost:${port}`);
  });
  // Webhook deliveries and the scheduled scan; stopped by the shutdown hooks after the drain.
  startEventWorker();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
