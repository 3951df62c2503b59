// Open-loop load at a steady rate, for "p99 at half capacity": request i is due at start + i / rate and is sent then on
// a free keep-alive connection (or waits for one); its latency counts from when it was released (the first timer tick
// at or after it fell due, at most a millisecond or so late) and includes any wait for a connection, so a server stall
// delays every request behind it (no coordinated omission). autocannon's overallRate is not this: each connection runs flat out
// until its share of the second's budget is spent, then waits for the next second, so "half capacity" there is full
// load for half of each second. The client is lean (raw sockets, requests written as text, answers read by
// http-parser-js as autocannon does): node:http's client cost as much CPU per request as the server it measured, and
// on two cores its own delays became most of the p99.
import net from "node:net";
import { HTTPParser } from "http-parser-js";
import type { Figures } from "./bench-setup";

export type PacedLoad = {
  url: string;
  rate: number; // requests per second
  durationMs: number;
  connections: number; // keep-alive connections
  headersFor: (i: number) => Record<string, string>;
};

// The value below which a share `q` of the sorted latencies fall.
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

// Runs the load and answers its figures (rps: answers per second of the load's duration; latencies in ms, to 0.1).
export function pacedLoad({ url, rate, durationMs, connections, headersFor }: PacedLoad): Promise<Figures> {
  const target = new URL(url);
  const head = `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n`;
  const request = (i: number) =>
    head +
    Object.entries(headersFor(i))
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("") +
    "\r\n";
  const total = Math.floor((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  const released = new Float64Array(total);
  const waiting: number[] = []; // requests due, waiting for a free connection
  const free: Connection[] = [];
  let sent = 0;
  let answered = 0;
  let ok = 0;
  let errors = 0;
  let finished = false;
  const start = performance.now();
  const due = (i: number) => start + i * interval;

  type Connection = { socket: net.Socket; current: number | null };

  return new Promise((resolve) => {
    const sockets = new Set<net.Socket>();
    const finish = () => {
      if (finished) return;
      finished = true;
      for (const socket of sockets) socket.destroy();
      const sorted = latencies.slice(0, answered).sort();
      const round = (ms: number) => Math.round(ms * 10) / 10;
      resolve({
        rps: answered / ((performance.now() - start) / 1000),
        p50: round(percentile(sorted, 0.5)),
        p99: round(percentile(sorted, 0.99)),
        non2xx: answered - ok,
        errors,
        ok,
      });
    };
    const settled = () => {
      if (answered + errors === total) finish();
    };
    // Sends the next waiting request on `conn`, or leaves it free.
    const next = (conn: Connection) => {
      const i = waiting.shift();
      if (i === undefined) {
        conn.current = null;
        free.push(conn);
        return;
      }
      conn.current = i;
      conn.socket.write(request(i));
    };
    const open = () => {
      const socket = net.connect(Number(target.port), target.hostname);
      socket.setNoDelay(true);
      sockets.add(socket);
      const conn: Connection = { socket, current: null };
      const parser = new HTTPParser(HTTPParser.RESPONSE);
      let status = 0;
      let keepAlive = true;
      parser[HTTPParser.kOnHeadersComplete] = (info) => {
        status = info.statusCode;
        keepAlive = info.shouldKeepAlive;
      };
      parser[HTTPParser.kOnMessageComplete] = () => {
        if (conn.current === null) return;
        latencies[answered++] = performance.now() - released[conn.current];
        if (status >= 200 && status < 300) ok++;
        settled();
        if (keepAlive) return next(conn);
        // The server closes this connection after its answer (nginx after keepalive_requests): another takes its place.
        conn.current = null;
        socket.destroy();
      };
      socket.on("connect", () => next(conn));
      socket.on("data", (chunk) => parser.execute(chunk));
      socket.on("error", () => undefined);
      socket.on("close", () => {
        sockets.delete(socket);
        const at = free.indexOf(conn);
        if (at !== -1) free.splice(at, 1);
        if (finished) return;
        // A lost connection: its request counts as an error, and another connection takes its place.
        if (conn.current !== null) {
          errors++;
          conn.current = null;
          settled();
        }
        if (!finished) open();
      });
    };
    // Every millisecond or so, release what has fallen due (a timer cannot fire every 1/rate seconds; the delay until
    // the tick is the load generator's, not the server's).
    const tick = () => {
      const now = performance.now();
      while (sent < total && due(sent) <= now) {
        released[sent] = now;
        waiting.push(sent++);
        const conn = free.pop();
        if (conn) next(conn);
      }
      if (sent < total) setTimeout(tick, 1);
    };
    if (total === 0) return finish();
    for (let c = 0; c < connections; c++) open();
    tick();
  });
}
