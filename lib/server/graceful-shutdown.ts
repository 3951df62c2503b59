// Graceful shutdown for any node:http server: stop accepting, answer the requests in flight and those still arriving on
// open keep-alive sockets, then flush buffers and exit.
import type { Server, ServerResponse } from "node:http";
import { Server as NetServer, type Socket } from "node:net";
import { markDraining, runShutdownHooks } from "../shutdown";

// How long requests in flight get to finish before their sockets are destroyed.
export const DRAIN_DEADLINE_MS = 10_000;

// How long a keep-alive socket must stay idle during the drain before it is closed: a request its client sent just
// before the signal may still be on its way, or be waiting in the kernel's buffer behind a busy event loop.
export const IDLE_GRACE_MS = 2_000;

const SWEEP_MS = 100;

export interface DrainResult {
  // Responses still unfinished at the deadline, whose sockets were destroyed.
  cut: number;
}

interface SocketState {
  // Requests on this socket not answered yet (more than one when pipelined).
  active: number;
  // When its last answer ended (or it connected).
  idleSince: number;
}

// Tracks `server`'s responses and sockets from now on; the returned drain() stops accepting, answers every request
// that still arrives with `Connection: close`, closes each keep-alive socket once it has stayed idle for `idleGraceMs`
// (never one whose next request is already waiting to be read), destroys whatever is left at the deadline and resolves
// then or once every socket has closed.
export function createDrain(
  server: Server,
  { idleGraceMs = IDLE_GRACE_MS }: { idleGraceMs?: number } = {},
): (deadlineMs?: number) => Promise<DrainResult> {
  const open = new Set<ServerResponse>();
  // Every socket, including upgraded ones (websockets) that the http layer no longer tracks, so the deadline can end them all.
  const sockets = new Map<Socket, SocketState>();
  let draining = false;

  server.on("connection", (socket: Socket) => {
    sockets.set(socket, { active: 0, idleSince: Date.now() });
    socket.once("close", () => sockets.delete(socket));
  });
  server.prependListener("request", (req, res) => {
    // A request that still arrives on an open connection is answered, and its client told not to reuse the connection.
    if (draining) res.setHeader("Connection", "close");
    open.add(res);
    const socket = sockets.get(req.socket);
    if (socket) socket.active++;
    res.once("close", () => {
      open.delete(res);
      if (socket) {
        socket.active--;
        socket.idleSince = Date.now();
      }
    });
  });

  // Closes the sockets idle for the grace period. The check runs again in setImmediate, after the event loop's poll
  // phase has read what the kernel holds: a request that arrived while the loop was busy makes its socket active.
  const sweep = (startedAt: number) => {
    const now = Date.now();
    const due = [...sockets].filter(([socket, state]) => idle(socket, state, now - idleGraceMs, startedAt));
    if (due.length === 0) return;
    setImmediate(() => {
      for (const [socket, state] of due) if (idle(socket, state, Date.now() - idleGraceMs, startedAt)) socket.destroy();
    });
  };

  return (deadlineMs = DRAIN_DEADLINE_MS) =>
    new Promise<DrainResult>((resolve) => {
      draining = true;
      markDraining();
      const startedAt = Date.now();
      // With `Connection: close` Node ends the socket itself once the answer is written; an answer already promised
      // keep-alive leaves an idle socket behind, swept after the grace period.
      for (const res of open) if (!res.headersSent) res.setHeader("Connection", "close");
      let cut = 0;
      let settled = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(sweeper);
        resolve({ cut });
      };
      const timer = setTimeout(() => {
        cut = open.size;
        for (const socket of sockets.keys()) socket.destroy();
        finish();
      }, deadlineMs);
      const sweeper = setInterval(() => sweep(startedAt), Math.min(SWEEP_MS, idleGraceMs));
      // Stop accepting and resolve once every connection has closed. Not http.Server.close(): it also closes idle
      // keep-alive sockets at once, cutting requests that are already in the kernel's buffer but not yet read.
      NetServer.prototype.close.call(server, () => finish());
    });
}

// Whether `socket` is a keep-alive socket with nothing to answer since before `before` (and since the drain began).
// A socket the http layer handed over (an upgrade) has no parser: it is left to the deadline.
function idle(socket: Socket, state: SocketState, before: number, startedAt: number): boolean {
  const parsed = (socket as Socket & { parser?: unknown }).parser;
  return state.active === 0 && Math.max(state.idleSince, startedAt) <= before && !!parsed && !socket.destroyed;
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
