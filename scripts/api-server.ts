// `npm run start:api`: the API app alone (lib/api/app.ts: /api/v1/**, /api/health, /api/metrics), without Next.js,
// for platforms that scale verification separately from the dashboard. Same environment, same database, same peer
// stamping, security headers (built into the app's answers) and graceful drain (requests in flight answered, then usage and lastUsedAt buffers
// flushed) as scripts/server.ts.
import { apiServer } from "../lib/api/node-handler";
import { env } from "../lib/env";
import { startEventWorker } from "../lib/webhooks/worker";
import { surviveClosedOutput } from "../lib/server/closed-output";
import { exitGracefully } from "../lib/server/graceful-shutdown";

function main() {
  surviveClosedOutput();
  const { PORT: port, HOSTNAME, SHUTDOWN_DEADLINE_MS } = env();
  const hostname = HOSTNAME ?? "0.0.0.0";
  const server = apiServer();
  server.keepAliveTimeout = 65_000;
  exitGracefully(server, { deadlineMs: SHUTDOWN_DEADLINE_MS });
  server.listen(port, hostname, () =>
    console.log(`Keyhold API listening on http://localhost:${port} (no dashboard in this process)`),
  );
  // Webhook deliveries and the scheduled scan; stopped by the shutdown hooks after the drain.
  startEventWorker();
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
