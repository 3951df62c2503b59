// npm run bench:gateway [-- --duration 10 --connections 50 --profile DIR]   (--profile: Keyhold's CPU profile into DIR)
// Forward authentication's cost through real proxies, in one run, on a fresh PostgreSQL database (BENCH_PG_URL's server,
// database keyhold_bench_gateway, recreated): an upstream answering a small JSON body (its own process), Keyhold
// (`start:api`'s server), and Debian's nginx and caddy, each run twice: straight to the upstream, and with the contrib/
// forward-authentication configuration asking Keyhold about every request. Loads, with autocannon, spread over 200 keys
// (each far within its limit) on GET /v1/models/:id (a route needing scope read, cost 1 on keys without credits):
//   nginx → upstream, nginx + auth_request + a bare node:http server that passes everything (the floor: what any
//   node auth service could reach here), nginx + auth_request + Keyhold → upstream, caddy → upstream,
//   caddy + forward_auth + Keyhold, and Keyhold's /api/v1/authorize alone (asked as nginx asks it);
// then nginx alone, nginx + the bare server and nginx + Keyhold at a steady half of the last one's measured capacity
// (open loop, paced-load.ts) for the added p99. Prints req/s, p50, p99 and non-2xx, the
// ratios against the targets (authorized ≥ 0.5 × the proxy alone; added p99 ≤ 2 ms at half capacity; 0 non-2xx), and
// after Keyhold's graceful stop whether the database holds one usage event per authorized request (0 lost).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import autocannon, { type Result } from "autocannon";
import { Client } from "pg";
import { getDb, postgresClient, setDb } from "../lib/db";
import { replaceRouteTable } from "../lib/routes/table";
import {
  benchAccount,
  figuresOf,
  METRICS_TOKEN,
  recreateBenchDatabase,
  spreadKeys,
  watched,
  writerMetrics,
  type Figures,
} from "./bench-setup";
import { freePort } from "./free-port";
import { pacedLoad } from "./paced-load";
import { proxyInstalled, startProxy, stopProxy, type Proxy, type ProxyKind } from "./gateway-proxies";
import { runMain } from "./run-main";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
    profile: { type: "string" },
  },
});
const duration = Number(args.duration);
const connections = Number(args.connections);
const SERVICE_TOKEN = "bench-gateway-token-0123456789";
const KEYS = 200;

const UPSTREAM = `
const http = require("node:http");
const body = JSON.stringify({ id: "gpt", object: "model" });
http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.env.PORT), "127.0.0.1");
`;

// The least any forward-authentication service can cost: a bare node:http server passing every request (200, no body,
// one identity header), without reading a key, checking anything or recording usage.
const BARE_AUTH = `
const http = require("node:http");
http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-length": 0, "x-keyhold-key-id": "bare" });
  res.end();
}).listen(Number(process.env.PORT), "127.0.0.1");
`;

async function waitFor(url: string, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${what} did not answer within 60 s`);
}

function stop(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    process.kill(-child.pid!, "SIGTERM");
  });
}

// 200 keys (scope read) in one enterprise organization (6000 requests a minute each), and the route table.
async function seed(benchUrl: string): Promise<string[]> {
  setDb(postgresClient({ connectionString: benchUrl }));
  const secrets = await spreadKeys(await benchAccount(getDb()), KEYS, "bench");
  await replaceRouteTable(
    "service",
    { default: "deny", routes: [{ method: "GET", path: "/v1/models/:id", scope: "read" }] },
    null,
  );
  return secrets;
}

async function load(
  base: string,
  secrets: string[],
  { path = "/v1/models/gpt", headers = {} }: { path?: string; headers?: Record<string, string> } = {},
): Promise<Figures> {
  let next = 0;
  const r: Result = await autocannon({
    url: `${base}${path}`,
    connections,
    duration,
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, ...headers, authorization: `Bearer ${secrets[next++ % secrets.length]}` },
        }),
      },
    ],
  });
  return figuresOf(r);
}

const fmt = (n: number, digits = 0) => n.toFixed(digits).padStart(8);

async function main() {
  for (const kind of ["nginx", "caddy"] as ProxyKind[])
    if (!proxyInstalled(kind)) throw new Error(`${kind} is not installed (apt-get install nginx-light caddy)`);
  const benchUrl = await recreateBenchDatabase("keyhold_bench_gateway");
  const secrets = await seed(benchUrl);

  // Requests Keyhold answered through the authorized loads (each one usage event, 2xx or not).
  let answered = 0;
  const children: ChildProcess[] = [];
  const proxies: Proxy[] = [];
  let keyhold: ChildProcess | undefined;
  try {
    // A node:http server from `source` on a free port, stopped with the others at the end.
    const startNodeServer = async (source: string, what: string): Promise<number> => {
      const port = await freePort();
      const child = spawn(process.execPath, ["-e", source], {
        detached: true,
        stdio: "inherit",
        env: { ...process.env, PORT: String(port) },
      });
      children.push(child);
      await waitFor(`http://127.0.0.1:${port}/`, child, what);
      return port;
    };
    const upstreamPort = await startNodeServer(UPSTREAM, "the upstream");
    const barePort = await startNodeServer(BARE_AUTH, "the bare auth server");

    const keyholdPort = await freePort();
    // start:api's server without npm's wrapper (the migrations already ran): its exit is the server's own, after the
    // graceful stop's last usage write (npm could exit first, and the count below then missed the last second's events).
    // With --profile it writes its CPU profile.
    const profile = args.profile ? ["--cpu-prof", `--cpu-prof-dir=${args.profile}`] : [];
    keyhold = spawn(process.execPath, [...profile, "--import", "tsx", "scripts/api-server.ts"], {
      detached: true,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(keyholdPort),
        HOSTNAME: "127.0.0.1",
        DATABASE_URL: benchUrl,
        NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
        KEYHOLD_SERVICE_TOKEN: SERVICE_TOKEN,
        METRICS_TOKEN,
        TRUST_PROXY: "127.0.0.1",
      },
    });
    await waitFor(`http://127.0.0.1:${keyholdPort}/api/health`, keyhold, "Keyhold");

    const keyholdBase = `http://127.0.0.1:${keyholdPort}`;
    // The usage writer's largest buffer while Keyhold answers (sampled from /api/metrics).
    let maxBuffer = 0;
    const watch = async <T>(load: () => Promise<T>): Promise<T> => {
      const { result, maxBuffer: seen } = await watched(keyholdBase, load);
      maxBuffer = Math.max(maxBuffer, seen);
      return result;
    };
    const targets = {
      keyhold: `127.0.0.1:${keyholdPort}`,
      upstream: `127.0.0.1:${upstreamPort}`,
      serviceToken: SERVICE_TOKEN,
    };
    const runs: { name: string; kind: ProxyKind; direct: boolean; auth?: string }[] = [
      { name: "nginx → upstream", kind: "nginx", direct: true },
      { name: "nginx + auth_request + bare node (floor)", kind: "nginx", direct: false, auth: `127.0.0.1:${barePort}` },
      { name: "nginx + auth_request + Keyhold", kind: "nginx", direct: false },
      { name: "caddy → upstream", kind: "caddy", direct: true },
      { name: "caddy + forward_auth + Keyhold", kind: "caddy", direct: false },
    ];
    const results = new Map<string, Figures>();
    const bases = new Map<string, string>();
    for (const run of runs) {
      const proxy = await startProxy(run.kind, run.auth ? { ...targets, keyhold: run.auth } : targets, {
        direct: run.direct,
      });
      proxies.push(proxy);
      bases.set(run.name, proxy.base);
      // Warm-up (keys cached, connections pooled): not shown, but its requests are recorded too.
      const keyholdAnswers = !run.direct && !run.auth;
      const measure = () => load(proxy.base, secrets);
      const warm = await (keyholdAnswers ? watch(measure) : measure());
      const measured = await (keyholdAnswers ? watch(measure) : measure());
      if (keyholdAnswers) answered += warm.ok + warm.non2xx + measured.ok + measured.non2xx;
      results.set(run.name, measured);
    }
    // Keyhold alone, asked as nginx asks it (its share of the authorized path's cost).
    const asProxy = {
      path: "/api/v1/authorize",
      headers: {
        "x-keyhold-service-token": SERVICE_TOKEN,
        "x-original-method": "GET",
        "x-original-uri": "/v1/models/gpt",
        "x-forwarded-for": "127.0.0.1",
      },
    };
    const warmDirect = await watch(() => load(keyholdBase, secrets, asProxy));
    const keyholdAlone = await watch(() => load(keyholdBase, secrets, asProxy));
    answered += warmDirect.ok + warmDirect.non2xx + keyholdAlone.ok + keyholdAlone.non2xx;
    results.set("Keyhold /api/v1/authorize alone", keyholdAlone);
    const nginxAuth = results.get("nginx + auth_request + Keyhold")!;
    const half = Math.max(1, Math.round(nginxAuth.rps / 2));
    // At a steady half rate (open loop: see paced-load.ts), each after a 3 s warm-up at that rate as every load above
    // has one: the loads in between left Keyhold idle for longer than its key cache's TTL, and without one the first
    // request for each of the 200 keys waited for its lookup.
    const steady = async (base: string) => {
      const at = (seconds: number) =>
        pacedLoad({
          url: `${base}/v1/models/gpt`,
          rate: half,
          durationMs: seconds * 1000,
          connections,
          headersFor: (i) => ({ authorization: `Bearer ${secrets[i % secrets.length]}` }),
        });
      const warm = await at(3);
      return { warm, measured: await at(duration) };
    };
    const halfDirect = (await steady(bases.get("nginx → upstream")!)).measured;
    const halfFloor = (await steady(bases.get("nginx + auth_request + bare node (floor)")!)).measured;
    const { warm: halfWarm, measured: halfAuth } = await watch(() =>
      steady(bases.get("nginx + auth_request + Keyhold")!),
    );
    answered += halfWarm.ok + halfWarm.non2xx + halfAuth.ok + halfAuth.non2xx;

    console.log(`\nbench:gateway — ${duration} s per load, ${connections} connections, ${KEYS} keys, PostgreSQL`);
    console.log(`${"load".padEnd(40)}   req/s      p50      p99   non2xx   errors`);
    for (const [name, f] of results)
      console.log(`${name.padEnd(40)}${fmt(f.rps)}${fmt(f.p50, 1)}${fmt(f.p99, 1)}${fmt(f.non2xx)}${fmt(f.errors)}`);
    for (const [name, f] of [
      [`nginx → upstream at ${half} req/s`, halfDirect],
      [`nginx + bare node (floor) at ${half} req/s`, halfFloor],
      [`nginx + Keyhold at ${half} req/s`, halfAuth],
    ] as const)
      console.log(`${name.padEnd(40)}${fmt(f.rps)}${fmt(f.p50, 1)}${fmt(f.p99, 1)}${fmt(f.non2xx)}${fmt(f.errors)}`);

    const ratio = (a: string, b: string) => results.get(a)!.rps / results.get(b)!.rps;
    const nginxRatio = ratio("nginx + auth_request + Keyhold", "nginx → upstream");
    const caddyRatio = ratio("caddy + forward_auth + Keyhold", "caddy → upstream");
    const addedP99 = halfAuth.p99 - halfDirect.p99;
    const floorRatio = ratio("nginx + auth_request + bare node (floor)", "nginx → upstream");
    console.log(
      `(floor: any node auth service ≤ ${floorRatio.toFixed(2)} × nginx alone here; Keyhold reaches ${(nginxRatio / floorRatio).toFixed(2)} of it;` +
        ` the floor adds ${(halfFloor.p99 - halfDirect.p99).toFixed(1)} ms to p99 at the same steady rate)`,
    );
    const authorized = [...results].filter(([name]) => name.includes("Keyhold")).map(([, f]) => f);
    const non2xx = authorized.reduce((n, f) => n + f.non2xx + f.errors, 0) + halfAuth.non2xx + halfAuth.errors;
    console.log("\ntarget                                         measured");
    console.log(
      `nginx + Keyhold ≥ 0.5 × nginx alone            ${nginxRatio.toFixed(2)} ${nginxRatio >= 0.5 ? "ok" : "MISSED"}`,
    );
    console.log(
      `caddy + Keyhold ≥ 0.5 × caddy alone            ${caddyRatio.toFixed(2)} ${caddyRatio >= 0.5 ? "ok" : "MISSED"}`,
    );
    console.log(
      `added p99 at half capacity ≤ 2 ms (nginx)      ${addedP99.toFixed(1)} ms ${addedP99 <= 2 ? "ok" : "MISSED"}`,
    );
    console.log(`non-2xx for good keys = 0                      ${non2xx} ${non2xx === 0 ? "ok" : "MISSED"}`);

    const { dropped } = await writerMetrics(keyholdBase);
    console.log(`usage writer: largest buffer ${maxBuffer} events, ${dropped} dropped (buffer full)`);

    // Every authorized request (warm-ups included) is one usage event once Keyhold has stopped gracefully.
    for (const proxy of proxies.splice(0)) await stopProxy(proxy);
    await stop(keyhold);
    keyhold = undefined;
    const sql = new Client({ connectionString: benchUrl });
    await sql.connect();
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM "UsageEvent" WHERE "route" = '/v1/models/:id'`);
    await sql.end();
    // autocannon counts the answers it received within each load; requests still in flight when a load ends are
    // answered (and recorded) too, so the database may hold a few more, never fewer.
    const lost = Math.max(0, answered - rows[0].n);
    console.log(
      `usage events lost = 0                          ${lost} (${rows[0].n} recorded, ${answered} answered) ${lost === 0 ? "ok" : "MISSED"}`,
    );
  } finally {
    for (const proxy of proxies) await stopProxy(proxy);
    await stop(keyhold);
    for (const child of children) await stop(child);
  }
}

runMain(main);
