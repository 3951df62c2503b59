// A server whose stdout and stderr are closed (its log collector went away) keeps answering and still exits on SIGTERM.
// Before surviveClosedOutput, the first log line after the close made Next.js's uncaughtException handler log EPIPE to
// the closed stream for ever: 100% CPU, no answers, SIGTERM ignored (found as a left-over e2e server spinning for 19 min).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Starts the child, returns it with its port once it listens.
async function start(): Promise<{ child: ReturnType<typeof spawn>; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/closed-output-child.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /port=(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on("exit", (code) => reject(new Error(`child exited with ${code}: ${out}`)));
  });
  return { child, port };
}

// Resolves with the exit code, or "still running" after `ms` (then kills the child).
function exitWithin(child: ReturnType<typeof spawn>, ms: number): Promise<number | string | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve("still running");
    }, ms);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe("closed output", () => {
  it("answers requests after its stdout and stderr are closed, then drains and exits 0 on SIGTERM", async () => {
    const { child, port } = await start();
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/first`, { signal: AbortSignal.timeout(10_000) })).text()).toBe("1");
    child.stdout!.destroy();
    child.stderr!.destroy();
    // Each answer logs a line to the closed stdout: the first EPIPE, then whatever the handlers make of it.
    for (let i = 2; i <= 4; i++) {
      const answer = await fetch(`${base}/after-close`, { signal: AbortSignal.timeout(10_000) }).then(
        (res) => res.text(),
        (err: Error) => err.name,
      );
      expect(answer).toBe(String(i));
    }
    child.kill("SIGTERM");
    expect(await exitWithin(child, 15_000)).toBe(0);
  }, 60_000);
});

describe("the servers", () => {
  it.each(["scripts/server.ts", "scripts/api-server.ts"])("%s survives closed output before it starts", (file) => {
    const source = readFileSync(file, "utf8");
    expect(source).toMatch(/import \{ surviveClosedOutput \} from "\.\.\/lib\/server\/closed-output";/);
    expect(source.indexOf("surviveClosedOutput();")).toBeGreaterThan(-1);
    expect(source.indexOf("surviveClosedOutput();")).toBeLessThan(source.indexOf("exitGracefully(server"));
  });
});
