import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { withTestDb } from "../helpers/db";

const db = withTestDb();
const CONCURRENT = 300;

interface Answer {
  status?: number;
  body?: string;
  connection?: string;
  error?: string;
}

// One GET through `agent`: its answer, or the error code that cut it (ECONNRESET, socket hang up, …).
function get(port: number, agent: Agent): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/api/v1/whoami", agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode, body, connection: res.headers.connection }));
      res.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    });
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });
}

// Resolves with the first stdout line of the child that matches `pattern`.
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) {
        child.stdout!.off("data", onData);
        resolve(match);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`child exited with ${code} before ${pattern}: ${out}`)));
  });
}

// Starts the child server, fires CONCURRENT requests, sends SIGTERM while all of them are in flight; returns every answer and how long the exit took.
async function sigtermUnderLoad(args: string[]) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "tests/fixtures/usage-server-child.ts", ...args, String(CONCURRENT)],
    {
      env: { ...process.env, NODE_ENV: "test" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const port = Number((await waitForLine(child, /port=(\d+)\n/))[1]);

  // An idle keep-alive connection: the drain must close it rather than wait for it.
  const idleAgent = new Agent({ keepAlive: true });
  const warmUp = await get(port, idleAgent);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const inflight = waitForLine(child, /inflight\n/);
  const answers = Promise.all(Array.from({ length: CONCURRENT }, () => get(port, agent)));
  await inflight;
  const signalledAt = Date.now();
  child.kill("SIGTERM");
  const [results, code] = await Promise.all([answers, exited]);
  const exitMs = Date.now() - signalledAt;
  idleAgent.destroy();
  agent.destroy();
  return { answers: [warmUp, ...results], code, exitMs };
}

// Checks that every request was answered after SIGTERM and that usage holds one event per answer.
function expectAllAnswered(run: Awaited<ReturnType<typeof sigtermUnderLoad>>, usageEvents: number) {
  const cut = run.answers.filter((a) => a.error).map((a) => a.error);
  expect(cut).toEqual([]);
  expect(run.answers.filter((a) => a.status === 200 && a.body === "ok")).toHaveLength(CONCURRENT + 1);
  // Answers given while draining tell the client to drop the connection, so no keep-alive socket outlives the drain.
  expect(run.answers.slice(1).every((a) => a.connection === "close")).toBe(true);
  expect(run.code).toBe(0);
  // Well inside the 10 s deadline: the idle keep-alive connection did not hold the drain up.
  expect(run.exitMs).toBeLessThan(8_000);
  expect(usageEvents).toBe(CONCURRENT + 1);
}

describe("SIGTERM drains the server", () => {
  it(
    "answers every request in flight, closes idle keep-alive sockets, then flushes their usage",
    { timeout: 90_000 },
    async () => {
      if (db.current.kind === "postgres") {
        const run = await sigtermUnderLoad(["postgres", db.current.url!]);
        expectAllAnswered(run, await db.current.client.usageEvent.count());
        return;
      }
      // PGlite is single-process: the child owns the data folder while it runs; the parent opens it after the child exits.
      const dir = mkdtempSync(path.join(tmpdir(), "keyhold-drain-"));
      try {
        const run = await sigtermUnderLoad(["pglite", dir]);
        const pglite = new PGlite(dir);
        const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
        const events = await client.usageEvent.count();
        await client.$disconnect();
        await pglite.close();
        expectAllAnswered(run, events);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
