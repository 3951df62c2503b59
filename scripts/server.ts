// Keyhold's HTTP server: the API app (lib/api/app.ts) for /api/v1/**, /api/health and /api/metrics, Next.js for the
// rest, behind a thin layer that stamps each request with its TCP peer address (Next itself keeps a client-sent
// X-Forwarded-For), and shuts down gracefully on SIGTERM/SIGINT.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import next from "next";
import { dispatchTo } from "../lib/api/node-handler";
import { env } from "../lib/env";
import { PEER_HEADER, PEER_SIG_HEADER, setPeerToken } from "../lib/ip/client-ip";
import { runShutdownHooks } from "../lib/shutdown";

async function main() {
  const dev = process.argv.includes("--dev");
  const { PORT: port, HOSTNAME } = env();
  const hostname = HOSTNAME ?? "0.0.0.0";
  const token = randomBytes(16).toString("hex");
  setPeerToken(token);

  const app = next({ dev, hostname, port });
  const handle = dispatchTo(app.getRequestHandler());
  await app.prepare();

  const server = createServer((req, res) => {
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    req.headers[PEER_SIG_HEADER] = token;
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, hostname, () => {
    console.log(`Keyhold ${dev ? "(development) " : ""}listening on http://localhost:${port}`);
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing, flushing buffers…`);
    server.close();
    server.closeIdleConnections();
    runShutdownHooks()
      .catch((err: unknown) => console.error("shutdown hook failed:", err))
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
