// Graceful shutdown for any node:http server: stop accepting, answer the requests in flight, then flush buffers and exit.
import type { Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { runShutdownHooks } from "../shutdown";

// How long requests in flight get to finish before their sockets are destroyed.
export const DRAIN_DEADLINE_MS = 10_000;

export interface DrainResult {
  // Responses still unfinished at the deadline, whose sockets were destroyed.
  cut: number;
}

// Tracks `server`'s responses and sockets from now on; the returned drain() stops accepting, lets the requests in flight finish
// (closing each keep-alive socket once it has answered), destroys whatever is left at the deadline and resolves then or sooner.
export function createDrain(server: Server): (deadlineMs?: number) => Promise<DrainResult> {
  const open = new Set<ServerResponse>();
  // Every socket, including upgraded ones (websockets) that the http layer no longer tracks, so the deadline can end them all.
  const sockets = new Set<Socket>();
  let draining = false;

  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.prependListener("request", (_req, res) => {
    // A request that still arrives on an open connection is answered, and its client told not to reuse the connection.
    if (draining) res.setHeader("Connection", "close");
    open.add(res);
    res.once("close", () => open.delete(res));
  });

  return (deadlineMs = DRAIN_DEADLINE_MS) =>
    new Promise<DrainResult>((resolve) => {
      draining = true;
      for (const res of open) {
        // With `Connection: close` Node ends the socket itself once the answer is written.
        if (!res.headersSent) res.setHeader("Connection", "close");
        // Already promised keep-alive: the socket turns idle after this answer, so close idle sockets then.
        else res.once("close", () => server.closeIdleConnections());
      }
      let cut = 0;
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ cut });
      };
      const timer = setTimeout(() => {
        cut = open.size;
        for (const socket of sockets) socket.destroy();
        finish();
      }, deadlineMs);
      server.close(finish);
      // Keep-alive sockets waiting for a next request would otherwise hold close() until their keepAliveTimeout.
      server.closeIdleConnections();
    });
}

// On SIGTERM/SIGINT: drain `server` (deadline `deadlineMs`), run the shutdown hooks (flush buffers), call `beforeExit`, exit.
// A second signal exits at once, for an impatient Ctrl-C.
export function exitGracefully(
  server: Server,
  options: { deadlineMs?: number; beforeExit?: () => Promise<void> } = {},
): void {
  const { deadlineMs = DRAIN_DEADLINE_MS, beforeExit } = options;
  const drain = createDrain(server);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      console.log(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    console.log(`${signal}: finishing requests in flight, then flushing buffers…`);
    drain(deadlineMs)
      .then(({ cut }) => {
        if (cut > 0) console.error(`${signal}: ${cut} requests still open after ${deadlineMs} ms were cut`);
        return runShutdownHooks();
      })
      .then(() => beforeExit?.())
      .catch((err: unknown) => console.error("shutdown failed:", err))
      .finally(() => process.exit(0));
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}
