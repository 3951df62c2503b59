// npm run bench:verify [-- --no-build --rounds 3 --duration 10 --connections 50]
// Builds and starts the production server on a fresh database, then with autocannon alternates
//   (a) GET /api/v1/ping    — unauthenticated, no database: reads the request (client IP) and answers a small JSON,
//                             the same work as (b) minus authentication;
//   (b) GET /api/v1/whoami  — authenticated with a valid key (withApiKey → verifyKey → in-process cache), a small JSON answer;
//   (g) GET /api/v1/whoami  — the same with a governed key: a 50-entry IP allowlist that admits 127.0.0.1 and ::1 only
//                             near its end, and a rate limit too high to trigger;
// and prints req/s, p50 and p99 for each, the ratio b/a, the p99 added, and the throughput cost of governance (g vs b).
// Every key is rate-limited (the plan sets a default), so (b)'s key also carries the never-triggering limit: (b) pays the
// rate-limit step and (g) adds the allowlist on top; the in-process timings below price each check on its own. Then
//   (c) floods whoami with malformed keys and bad checksums over HTTP (all must be 401), and counts the database
//       queries they cost by running the same route handler in this process on a Prisma client that counts every
//       operation (the server process has no counter: production code carries no debug hooks), and times the ping
//       and whoami handlers in process, which isolates the cost of authentication from HTTP and load-generator noise.
// DATABASE_URL set: benchmarks against that PostgreSQL database; unset: a temporary embedded PGlite folder.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon, { type Result } from "autocannon";
import { createAdapter, setDb } from "../lib/db";
import { env } from "../lib/env";
import { PrismaClient } from "../lib/generated/prisma/client";
import { compileAllowlist, type AllowlistEntry } from "../lib/ip/allowlist";
import { PEER_HEADER, PEER_SIG_HEADER, setPeerToken } from "../lib/ip/client-ip";
import { generateKey } from "../lib/keys/format";
import { flushLastUsed } from "../lib/keys/last-used";
import { createKey } from "../lib/keys/service";
import { verifyKey } from "../lib/keys/verify";
import { applyMigrations } from "../lib/migrations";
import { KeyRateLimiter } from "../lib/ratelimit/limiter";
import { BASE62, randomBase62 } from "../lib/random";

const { values: args } = parseArgs({
  options: {
    "no-build": { type: "boolean", default: false },
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "50" },
  },
});
const rounds = Number(args.rounds);
const duration = Number(args.duration);
const connections = Number(args.connections);

type Figures = { rps: number; p50: number; p99: number; non2xx: number; errors: number };

function figures(r: Result): Figures {
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

// A malformed key, a well-shaped key with a wrong checksum, or plain garbage, at random.
function badKey(): string {
  const good = generateKey(Math.random() < 0.5 ? "live" : "test").secret;
  switch (Math.floor(Math.random() * 3)) {
    case 0: {
      const last = good[good.length - 1];
      return good.slice(0, -1) + BASE62[(BASE62.indexOf(last) + 1) % 62];
    }
    case 1:
      return good.slice(0, -3);
    default:
      return randomBase62(40);
  }
}

async function openDb(dataDir: string | undefined): Promise<{ client: PrismaClient; close: () => Promise<void> }> {
  const { DATABASE_URL } = env();
  const { adapter, close } = createAdapter(DATABASE_URL, dataDir ?? "");
  const client = new PrismaClient({ adapter });
  return {
    client,
    close: async () => {
      await client.$disconnect();
      await close();
    },
  };
}

// Above anything the benchmark can send in a minute, and above the API's own cap (100000), hence written directly.
const NEVER_TRIGGERS = 100_000_000;

// 50 entries, mostly IPv4 ranges the benchmark's address is not in, with 127.0.0.1 and ::1 near the end: the matcher
// compares the client against every IPv4 range before it.
function governedAllowlist(): AllowlistEntry[] {
  const entries: AllowlistEntry[] = [];
  for (let i = 0; i < 40; i++) entries.push({ value: `10.${i}.${(i * 7) % 256}.0/24`, note: `office ${i}` });
  for (let i = 0; i < 7; i++) entries.push({ value: `2001:db8:${i.toString(16)}::/48` });
  entries.push({ value: "127.0.0.1", note: "bench" }, { value: "::1", note: "bench" }, { value: "192.0.2.0/24" });
  return entries;
}

// Migrates the database and creates the benchmark's account and keys (before the server opens it: PGlite is single-process).
async function prepare(dataDir: string | undefined): Promise<{ secret: string; governedSecret: string }> {
  const { DATABASE_URL } = env();
  const migrator = createAdapter(DATABASE_URL, dataDir ?? "");
  await applyMigrations(migrator.adapter);
  await migrator.close();
  const { client, close } = await openDb(dataDir);
  setDb(client);
  const user = await client.user.create({
    data: { email: `bench-${randomBase62(8)}@example.com`, passwordHash: "unused", clientId: `kh_client_${randomBase62(24)}` },
  });
  const plain = await createKey(user.id, { name: "bench", environment: "test", scopes: ["read"], expiresAt: null, ipAllowlist: [], rateLimit: null }, { ip: null });
  const governed = await createKey(
    user.id,
    { name: "bench-governed", environment: "test", scopes: ["read"], expiresAt: null, ipAllowlist: governedAllowlist(), rateLimit: null },
    { ip: null },
  );
  await client.apiKey.updateMany({ where: { id: { in: [plain.key.id, governed.key.id] } }, data: { rateLimit: NEVER_TRIGGERS } });
  await close();
  return { secret: plain.secret, governedSecret: governed.secret };
}

async function startServer(port: number, dataDir: string | undefined): Promise<ChildProcess> {
  const { DATABASE_URL } = env();
  const child = spawn("npm", ["start", "--silent"], {
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATA_DIR: dataDir ?? "",
      DATABASE_URL: DATABASE_URL ?? "",
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  child.stdout?.on("data", () => undefined);
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error("the server exited during start-up");
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the server did not become healthy within 60 s");
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    process.kill(-child.pid!, "SIGTERM");
  });
}

const fmt = (f: Figures) => `${f.rps.toFixed(0).padStart(7)} req/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms   non-2xx ${f.non2xx}   errors ${f.errors}`;
const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;

// Counts the database operations of `count` whoami calls with bad keys, then of a valid key cold and warm, in process.
async function countQueries(dataDir: string | undefined, secret: string, governedSecret: string) {
  const { client, close } = await openDb(dataDir);
  let queries = 0;
  setDb(client.$extends({ query: { async $allOperations({ args: a, query }) { queries++; return query(a); } } }) as unknown as PrismaClient);
  const { app } = await import("../lib/api/app");
  const fetchApi = async (request: Request) => app.fetch(request);
  const call = (key: string) => fetchApi(new Request("http://localhost/api/v1/whoami", { headers: { authorization: `Bearer ${key}` } }));
  const malformed = 20_000;
  const statuses = new Map<number, number>();
  for (let i = 0; i < malformed; i++) {
    const { status } = await call(badKey());
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  const afterMalformed = queries;
  const cold = (await call(secret)).status;
  const afterCold = queries;
  for (let i = 0; i < 1000; i++) await call(secret);
  const afterWarm = queries;
  // Handler cost without HTTP or load-generator noise: ping vs whoami with the cached key, µs per call.
  const perCall = async (fn: () => Promise<unknown> | unknown, n = 20_000) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    return Number(process.hrtime.bigint() - start) / 1000 / n;
  };
  // Both sides build the same Request, so the difference is authentication alone.
  const pingUs = await perCall(() => fetchApi(new Request("http://localhost/api/v1/ping", { headers: { authorization: `Bearer ${secret}` } })));
  const whoamiUs = await perCall(() => call(secret));
  const bad = Array.from({ length: 1000 }, badKey);
  let next = 0;
  const malformedUs = await perCall(() => call(bad[next++ % bad.length]));
  const governance = await governanceCost(fetchApi, secret, governedSecret);
  await flushLastUsed();
  await close();
  return { malformed, statuses, malformedQueries: afterMalformed, cold, coldQueries: afterCold - afterMalformed, warmQueries: afterWarm - afterCold, pingUs, whoamiUs, malformedUs, governance };
}

type ApiFetch = (request: Request) => Promise<Response>;

// The governance checks in process, µs per call: the verification pipeline (verifyKey) and the whole whoami handler with
// the plain and the governed key from a stamped 127.0.0.1 peer (as scripts/server.ts stamps it), then each check alone:
// the compiled 50-entry allowlist matching 127.0.0.1, and one rate-limit consume on a memory limiter. Calls alternate in
// blocks so drift in the machine's load hits both sides. whoami echoes the key, so the governed key's answer also
// carries its 50 entries: the handler difference includes that larger response, the pipeline difference does not.
async function governanceCost(fetchApi: ApiFetch, secret: string, governedSecret: string) {
  const token = randomBytes(16).toString("hex");
  setPeerToken(token);
  const call = (key: string) =>
    fetchApi(new Request("http://localhost/api/v1/whoami", { headers: { authorization: `Bearer ${key}`, [PEER_HEADER]: "127.0.0.1", [PEER_SIG_HEADER]: token } }));
  const bytes: number[] = [];
  for (const key of [secret, governedSecret]) {
    const res = await call(key);
    if (res.status !== 200) throw new Error(`bench key answered ${res.status} in process`);
    bytes.push((await res.arrayBuffer()).byteLength);
  }
  const check = (key: string) => verifyKey({ secret: key, ip: "127.0.0.1" });
  const timed = async (fn: () => unknown, n: number) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    return Number(process.hrtime.bigint() - start) / 1000;
  };
  const blocks = 10;
  const perBlock = 2_000;
  const alternate = async (fn: (key: string) => unknown) => {
    let plain = 0;
    let governed = 0;
    for (let b = 0; b < blocks; b++) {
      plain += await timed(() => fn(secret), perBlock);
      governed += await timed(() => fn(governedSecret), perBlock);
    }
    return { plainUs: plain / (blocks * perBlock), governedUs: governed / (blocks * perBlock) };
  };
  const pipeline = await alternate(check);
  const handler = await alternate(call);
  const matcher = compileAllowlist(governedAllowlist());
  if (!matcher.allows("127.0.0.1") || matcher.allows("198.51.100.1")) throw new Error("the bench allowlist does not match as expected");
  const checks = 200_000;
  const allowStart = process.hrtime.bigint();
  for (let i = 0; i < checks; i++) matcher.allows("127.0.0.1");
  const allowlistUs = Number(process.hrtime.bigint() - allowStart) / 1000 / checks;
  const limiter = new KeyRateLimiter({ kind: "memory" });
  const consumeUs = (await timed(() => limiter.consume("bench-key", NEVER_TRIGGERS), checks)) / checks;
  await limiter.close();
  return { pipeline, handler, bytes, allowlistUs, consumeUs };
}

async function main() {
  if (!args["no-build"]) {
    console.log("Building (next build)…");
    const build = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
    if (build.status !== 0) throw new Error("next build failed");
  }
  const { DATABASE_URL } = env();
  const dataDir = DATABASE_URL ? undefined : mkdtempSync(path.join(tmpdir(), "keyhold-bench-"));
  const database = DATABASE_URL ? `PostgreSQL (${new URL(DATABASE_URL).pathname.slice(1)})` : `PGlite (${dataDir})`;
  let server: ChildProcess | undefined;
  try {
    const { secret, governedSecret } = await prepare(dataDir);
    const port = await freePort();
    server = await startServer(port, dataDir);
    const base = `http://127.0.0.1:${port}`;
    const a = { url: `${base}/api/v1/ping`, connections };
    const b = { url: `${base}/api/v1/whoami`, connections, headers: { authorization: `Bearer ${secret}` } };
    const g = { url: `${base}/api/v1/whoami`, connections, headers: { authorization: `Bearer ${governedSecret}` } };
    console.log(`\nServer: production build on ${base}, database: ${database}, key cache TTL ${env().KEY_CACHE_TTL_MS} ms`);
    console.log(`Load: ${connections} connections, ${duration} s per run, ${rounds} rounds (after a 3 s warm-up of each)\n`);
    await autocannon({ ...a, duration: 3 });
    await autocannon({ ...b, duration: 3 });
    await autocannon({ ...g, duration: 3 });

    const runsA: Figures[] = [];
    const runsB: Figures[] = [];
    const runsG: Figures[] = [];
    for (let round = 1; round <= rounds; round++) {
      runsA.push(figures(await autocannon({ ...a, duration })));
      console.log(`round ${round}  (a) ping            ${fmt(runsA[runsA.length - 1])}`);
      runsB.push(figures(await autocannon({ ...b, duration })));
      console.log(`round ${round}  (b) whoami          ${fmt(runsB[runsB.length - 1])}`);
      runsG.push(figures(await autocannon({ ...g, duration })));
      console.log(`round ${round}  (g) whoami governed ${fmt(runsG[runsG.length - 1])}`);
    }
    const rpsA = mean(runsA.map((f) => f.rps));
    const rpsB = mean(runsB.map((f) => f.rps));
    const p99A = mean(runsA.map((f) => f.p99));
    const p99B = mean(runsB.map((f) => f.p99));
    const ratio = rpsB / rpsA;
    const added = p99B - p99A;
    console.log(`\nmean  (a) ping    ${rpsA.toFixed(0)} req/s, p50 ${mean(runsA.map((f) => f.p50)).toFixed(1)} ms, p99 ${p99A.toFixed(1)} ms`);
    console.log(`mean  (b) whoami  ${rpsB.toFixed(0)} req/s, p50 ${mean(runsB.map((f) => f.p50)).toFixed(1)} ms, p99 ${p99B.toFixed(1)} ms`);
    console.log(`ratio b/a = ${ratio.toFixed(3)} (target ≥ 0.8: ${ratio >= 0.8 ? "met" : "MISSED"})`);
    console.log(`p99 added = ${added.toFixed(1)} ms (target ≤ 2 ms: ${added <= 2 ? "met" : "MISSED"}; at saturation p99 is mostly queueing and GC, and moves by more than 2 ms between identical runs)`);
    const rpsG = mean(runsG.map((f) => f.rps));
    const p99G = mean(runsG.map((f) => f.p99));
    const govCost = (1 - rpsG / rpsB) * 100;
    // b and g run back to back in each round, so their per-round ratio is less exposed to the machine's changing load.
    const roundRatios = runsG.map((f, i) => f.rps / runsB[i].rps).sort((x, y) => x - y);
    const medianRatio = roundRatios[Math.floor(roundRatios.length / 2)];
    console.log(`mean  (g) governed ${rpsG.toFixed(0)} req/s, p50 ${mean(runsG.map((f) => f.p50)).toFixed(1)} ms, p99 ${p99G.toFixed(1)} ms`);
    console.log(
      `governance over HTTP (g vs b: + 50-entry allowlist; both keys pay the rate-limit step): throughput cost ${govCost.toFixed(1)}% ` +
        `(target ≤ 10%: ${govCost <= 10 ? "met" : "MISSED"}), p99 ${p99G - p99B >= 0 ? "+" : ""}${(p99G - p99B).toFixed(1)} ms`,
    );
    console.log(
      `  per-round g/b: ${roundRatios.map((r) => r.toFixed(3)).join(", ")} (sorted); median ${medianRatio.toFixed(3)} → cost ${((1 - medianRatio) * 100).toFixed(1)}%`,
    );
    // At saturation p99 is queueing; at a steady rate well below capacity it is the time a request takes.
    const steadyRate = Math.round(rpsA * 0.4);
    const steadyA: Figures[] = [];
    const steadyB: Figures[] = [];
    for (let round = 1; round <= rounds; round++) {
      steadyA.push(figures(await autocannon({ ...a, connections: 10, overallRate: steadyRate, duration })));
      steadyB.push(figures(await autocannon({ ...b, connections: 10, overallRate: steadyRate, duration })));
      console.log(`steady ${steadyRate} req/s, round ${round}: (a) ${fmt(steadyA[round - 1])} | (b) ${fmt(steadyB[round - 1])}`);
    }
    const steadyAdded = mean(steadyB.map((f) => f.p99)) - mean(steadyA.map((f) => f.p99));
    console.log(
      `steady load (10 connections, ${steadyRate} req/s = 40% of ping capacity): p99 (a) ${mean(steadyA.map((f) => f.p99)).toFixed(2)} ms, ` +
        `(b) ${mean(steadyB.map((f) => f.p99)).toFixed(2)} ms → p99 added ${steadyAdded.toFixed(2)} ms (target ≤ 2 ms: ${steadyAdded <= 2 ? "met" : "MISSED"})`,
    );
    const failedB = [...runsB, ...runsG, ...steadyB].some((f) => f.non2xx > 0 || f.errors > 0);

    const flood = await autocannon({
      url: `${base}/api/v1/whoami`,
      connections,
      duration,
      requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${badKey()}` } }) }],
    });
    const floodCodes = Object.entries(flood.statusCodeStats).map(([code, s]) => `${code}×${s.count}`).join(", ");
    console.log(`\n(c) malformed-key flood over HTTP: ${figures(flood).rps.toFixed(0)} req/s, p50 ${flood.latency.p50} ms, p99 ${flood.latency.p99} ms, statuses ${floodCodes}`);
    await stopServer(server);
    server = undefined;

    const counted = await countQueries(dataDir, secret, governedSecret);
    const statusText = [...counted.statuses].map(([s, n]) => `${s}×${n}`).join(", ");
    console.log(`(c) query counter, same whoami handler in process: ${counted.malformed} malformed/bad-checksum keys → ${statusText}, ${counted.malformedQueries} database queries`);
    console.log(`    control: a valid key costs ${counted.coldQueries} query cold (status ${counted.cold}) and ${counted.warmQueries} for the next 1000 calls (cached)`);
    console.log(
      `    handler cost in process (no HTTP): ping ${counted.pingUs.toFixed(1)} µs, whoami with a cached key ${counted.whoamiUs.toFixed(1)} µs ` +
        `(authentication adds ${(counted.whoamiUs - counted.pingUs).toFixed(1)} µs), malformed key ${counted.malformedUs.toFixed(1)} µs`,
    );
    const gov = counted.governance;
    const checksUs = gov.allowlistUs + gov.consumeUs;
    // At (b)'s measured rate one request occupies the server's event loop for 1e6 / rps µs; adding the checks' µs to it
    // lowers throughput by checks / (request + checks).
    const requestUs = 1e6 / rpsB;
    const diff = (x: { plainUs: number; governedUs: number }) =>
      `plain key ${x.plainUs.toFixed(1)} µs, governed key ${x.governedUs.toFixed(1)} µs (${x.governedUs >= x.plainUs ? "+" : ""}${(x.governedUs - x.plainUs).toFixed(1)} µs)`;
    console.log(`    governance in process (stamped 127.0.0.1 peer): verifyKey pipeline ${diff(gov.pipeline)}`);
    console.log(`      whoami handler ${diff(gov.handler)}; its answer is ${gov.bytes[0]} bytes plain, ${gov.bytes[1]} bytes governed (the key object lists its 50 entries)`);
    console.log(`      each check alone: 50-entry allowlist match ${gov.allowlistUs.toFixed(2)} µs, rate-limit consume (memory) ${gov.consumeUs.toFixed(2)} µs`);
    console.log(
      `    both checks ${checksUs.toFixed(2)} µs per request against ${requestUs.toFixed(0)} µs per request at (b)'s ${rpsB.toFixed(0)} req/s → ` +
        `estimated throughput cost ${((checksUs / (requestUs + checksUs)) * 100).toFixed(2)}% (target ≤ 10%)`,
    );
    const floodOk = Object.keys(flood.statusCodeStats).every((code) => code === "401");
    if (failedB || !floodOk || counted.malformedQueries !== 0) {
      console.error("\nFAILED: (b) or (g) had errors, the flood got a non-401, or malformed keys reached the database");
      process.exitCode = 1;
    }
  } finally {
    if (server) await stopServer(server);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
