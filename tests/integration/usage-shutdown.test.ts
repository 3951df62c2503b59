import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { describe, expect, it } from "vitest";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { withTestDb } from "../helpers/db";

const db = withTestDb();

// Runs the child until it has recorded a few thousand events, sends SIGTERM mid-load and returns how many it says it recorded.
function runChildUntilSigterm(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/usage-load-child.ts", ...args], {
      env: { ...process.env, NODE_ENV: "test" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("ready\n") && !child.killed) child.kill("SIGTERM");
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const match = /recorded=(\d+)/.exec(out);
      if (code !== 0 || !match) reject(new Error(`child exited with ${code}: ${out}`));
      else resolve(Number(match[1]));
    });
  });
}

async function counts(client: PrismaClient) {
  const events = await client.usageEvent.count();
  const rollups = await client.usageRollup.groupBy({
    by: ["granularity"],
    _sum: { count: true },
    orderBy: { granularity: "asc" },
  });
  return { events, rollups: rollups.map((r) => r._sum.count) };
}

describe("graceful shutdown", () => {
  it("SIGTERM during load flushes every recorded event before the process exits", async () => {
    if (db.current.kind === "postgres") {
      const recorded = await runChildUntilSigterm(["postgres", db.current.url!]);
      expect(recorded).toBeGreaterThanOrEqual(3000);
      expect(await counts(db.current.client)).toEqual({ events: recorded, rollups: [recorded, recorded, recorded] });
      return;
    }
    // PGlite is single-process: the child owns the data folder while it runs; the parent opens it after the child exits.
    const dir = mkdtempSync(path.join(tmpdir(), "keyhold-shutdown-"));
    try {
      const recorded = await runChildUntilSigterm(["pglite", dir]);
      expect(recorded).toBeGreaterThanOrEqual(3000);
      const pglite = new PGlite(dir);
      const client = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
      expect(await counts(client)).toEqual({ events: recorded, rollups: [recorded, recorded, recorded] });
      await client.$disconnect();
      await pglite.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
