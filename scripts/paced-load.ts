// Open-loop load at a steady rate, for "p99 at half capacity": request i is due at start + i / rate and is sent then on
// a free keep-alive connection (or waits for one); its latency counts from when it was due, so a stall delays every
// request behind it (no coordinated omission). autocannon's overallRate is not this: each connection runs flat out
// until its share of the second's budget is spent, then waits for the next second, so "half capacity" there is full
// load for half of each second.
import http from "node:http";
import type { Figures } from "./bench-setup";

export type PacedLoad = {
  url: string;
  rate: number; // requests per second
  durationMs: number;
  connections: number; // keep-alive connections at most
  headersFor: (i: number) => Record<string, string>;
};

// The value below which a share `q` of the sorted latencies fall.
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

// Runs the load and answers its figures (rps: answers per second of the load's duration; latencies in ms).
export function pacedLoad({ url, rate, durationMs, connections, headersFor }: PacedLoad): Promise<Figures> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const total = Math.floor((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  let sent = 0;
  let done = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const start = performance.now();

  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      const answered = latencies.slice(0, ok + non2xx).sort();
      resolve({
        rps: (ok + non2xx) / ((performance.now() - start) / 1000),
        p50: Math.round(percentile(answered, 0.5) * 10) / 10,
        p99: Math.round(percentile(answered, 0.99) * 10) / 10,
        non2xx,
        errors,
        ok,
      });
    };
    const settle = () => {
      if (++done === total) finish();
    };
    const send = (i: number, due: number) => {
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          headers: headersFor(i),
        },
        (res) => {
          res.resume();
          res.once("end", () => {
            latencies[ok + non2xx] = performance.now() - due;
            if (res.statusCode! >= 200 && res.statusCode! < 300) ok++;
            else non2xx++;
            settle();
          });
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error("timed out")));
      req.once("error", () => {
        errors++;
        settle();
      });
      req.end();
    };
    // Every millisecond or so, send what has fallen due (a timer cannot fire every 1/rate seconds).
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        send(sent, start + sent * interval);
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    if (total === 0) finish();
    else tick();
  });
}
