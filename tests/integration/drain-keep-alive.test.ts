// SIGTERM while requests arrive on warm keep-alive sockets (`npm run start:api`, the real process): every request its
// client sent is answered — none cut because the drain closed an "idle" socket whose request was still unread.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { describe, expect, it } from "vitest";
import { db, pgliteClient, setDb } from "@/lib/db";
import { applyMigrations } from "@/lib/migrations";
import { freePort } from "../../scripts/free-port";
import { createUser, makeKey } from "../helpers/keys";
import { withTestDb } from "../helpers/db";

const test = withTestDb();
const SOCKETS = 300;
const USAGE = "/api/v1/usage?range=30d&interval=hour";

interface Answer {
  status?: number;
  reused?: boolean;
  error?: string;
}

// One GET through `agent`: its status and whether it went out on a reused (warm) socket, or the error that cut it.
function get(port: number, agent: Agent, target: string, key?: string): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
    const req = request({ host: "127.0.0.1", port, path: target, agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
      res.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    });
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

// A read key in an organization whose plan lets 300 requests through the rate limit, made in lib/db's database.
async function readKey(): Promise<string> {
  const user = await createUser("drain");
  await db.organization.update({ where: { id: user.organization.id }, data: { plan: "ENTERPRISE" } });
  return (await makeKey(user.id, ["read"])).secret;
}

// Starts scripts/api-server.ts (what `npm run start:api` runs after migrating) and resolves once /api/health answers.
async function startApiServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/api-server.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      NEXTAUTH_SECRET: "drain-test-secret-0123456789abcdef0123",
      // Cut requests are what this test counts: a deadline that 300 usage queries on a loaded machine cannot reach.
      SHUTDOWN_DEADLINE_MS: "120000",
      ...env,
    },
  });
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`api server exited with ${child.exitCode}`);
    const answer = await get(port, new Agent(), "/api/health");
    if (answer.status === 200) return { child, port };
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error("api server did not start within a minute");
}

// Resolves once the child has logged that its drain began.
function drainBegan(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("SIGTERM: finishing requests")) resolve();
    });
  });
}

// SOCKETS warm keep-alive sockets, one usage query sent on each, and SIGTERM to the process: 20 ms after sending (the
// reproduction), or before sending, once the drain has begun (the same race, made certain: the requests reach sockets
// that the drain must not have closed yet).
async function sigtermOnWarmSockets(env: Record<string, string>, key: string, order: "send first" | "signal first") {
  const { child, port } = await startApiServer(env);
  const began = drainBegan(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // One agent per socket, so request i goes out on the socket warmed for it.
  const agents = Array.from({ length: SOCKETS }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  try {
    const warm = await Promise.all(agents.map((agent) => get(port, agent, "/api/v1/ping")));
    expect(warm.filter((a) => a.status === 200)).toHaveLength(SOCKETS);
    let answers: Promise<Answer[]>;
    if (order === "send first") {
      answers = Promise.all(agents.map((agent) => get(port, agent, USAGE, key)));
      await new Promise((r) => setTimeout(r, 20));
      child.kill("SIGTERM");
    } else {
      child.kill("SIGTERM");
      await began;
      answers = Promise.all(agents.map((agent) => get(port, agent, USAGE, key)));
    }
    // This test's own bound, past the server's deadline.
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("no exit within 150 s of SIGTERM")), 150_000);
    });
    try {
      const [results, code] = await Promise.race([Promise.all([answers, exited]), bound]);
      return { results, code };
    } finally {
      clearTimeout(timer);
    }
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    for (const agent of agents) agent.destroy();
  }
}

describe("SIGTERM with requests arriving on warm keep-alive sockets (start:api)", () => {
  it.each(["send first", "signal first"] as const)(
    "%s: answers every request, cuts none",
    { timeout: 240_000 },
    async (order) => {
      let env: Record<string, string>;
      let key: string;
      let dir: string | undefined;
      if (test.current.kind === "postgres") {
        env = { DATABASE_URL: test.current.url! };
        key = await readKey();
      } else {
        // PGlite is single-process: the key is made in a data folder that the server then opens alone.
        dir = mkdtempSync(path.join(tmpdir(), "keyhold-drain-warm-"));
        // lib/db opens DATA_DIR/pglite.
        const pglite = new PGlite(path.join(dir, "pglite"));
        await applyMigrations(new PrismaPGlite(pglite));
        const client = pgliteClient(pglite);
        setDb(client, { embedded: true });
        try {
          key = await readKey();
        } finally {
          setDb(test.current.client, { embedded: true });
          await client.$disconnect();
          await pglite.close();
        }
        env = { DATABASE_URL: "", DATA_DIR: dir };
      }
      try {
        const { results, code } = await sigtermOnWarmSockets(env, key, order);
        const cut = results.filter((a) => a.error).map((a) => a.error);
        expect(cut).toEqual([]);
        // Every request really went out on a warm socket, and was answered (not refused by the rate limit).
        expect(results.filter((a) => a.reused)).toHaveLength(SOCKETS);
        expect(results.filter((a) => a.status === 200)).toHaveLength(SOCKETS);
        expect(code).toBe(0);
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
