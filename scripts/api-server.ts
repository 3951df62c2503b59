// `npm run start:api`: the API app alone (lib/api/app.ts: /api/v1/**, /api/health, /api/metrics), without Next.js,
// for platforms that scale verification separately from the dashboard. Same environment, same database, same peer
// stamping and graceful shutdown (usage and lastUsedAt buffers flushed) as scripts/server.ts.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { apiListener } from "../lib/api/node-handler";
import { env } from "../lib/env";
import { PEER_HEADER, PEER_SIG_HEADER, setPeerToken } from "../lib/ip/client-ip";
import { runShutdownHooks } from "../lib/shutdown";

function main() {
  const { PORT: port, HOSTNAME } = env();
  const hostname = HOSTNAME ?? "0.0.0.0";
  const token = randomBytes(16).toString("hex");
  setPeerToken(token);
  const handle = apiListener({ beside: "nothing" });

  const server = createServer((req, res) => {
    req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
    req.headers[PEER_SIG_HEADER] = token;
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, hostname, () => console.log(`Keyhold API listening on http://localhost:${port} (no dashboard in this process)`));

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

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
