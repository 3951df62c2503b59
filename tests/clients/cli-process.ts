// The built `keyhold` CLI (packages/cli/bin/keyhold.js) run as a child process with a clean environment whose HOME and
// XDG_CONFIG_HOME are in a temporary folder, piped or on a pseudo-terminal.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createTestKey, fixture, ROOT, withFixture } from "./fixture";

export const BIN = path.join(ROOT, "packages/cli/bin/keyhold.js");

export type CliResult = { code: number; stdout: string; stderr: string };

type CliOptions = { env?: Record<string, string>; deadlineMs?: number };

// A clean environment: PATH, HOME and XDG_CONFIG_HOME in `home`, no KEYHOLD_* unless given.
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "",
    NODE_ENV: "production",
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, "xdg"),
    ...extra,
  };
}

// Spawns `command`, collecting its output until it closes; past `deadlineMs` (if given) it is killed and `what` rejects.
function collect(
  what: string,
  start: () => ReturnType<typeof spawn>,
  deadlineMs: number | undefined,
  onStdout: (stdout: string, child: ReturnType<typeof spawn>) => void = () => {},
): { child: ReturnType<typeof spawn>; done: Promise<CliResult> } {
  const child = start();
  const done = new Promise<CliResult>((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer =
      deadlineMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`${what} did not finish within ${deadlineMs} ms: ${stdout}${stderr}`));
          }, deadlineMs);
    child.stdout!.on("data", (c) => {
      stdout += c;
      onStdout(stdout, child);
    });
    child.stderr!.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
  return { child, done };
}

// Runs the CLI with `home`'s clean environment and stdin closed after `input`.
export function runCli(
  home: string,
  args: string[],
  options: CliOptions & { input?: string } = {},
): Promise<CliResult> {
  const { child, done } = collect(
    `keyhold ${args.join(" ")}`,
    () => spawn(process.execPath, [BIN, ...args], { env: cliEnv(home, options.env), stdio: ["pipe", "pipe", "pipe"] }),
    options.deadlineMs,
  );
  child.stdin!.end(options.input ?? "");
  return done;
}

// Runs the CLI on a pseudo-terminal (util-linux `script`) of type `term`, typing `typed` once the output shows
// `waitFor` (without `waitFor`, stdin is closed at once). All output is on stdout.
export function runCliOnTerminal(
  home: string,
  args: string[],
  options: CliOptions & { term: string; waitFor?: string; typed?: string },
): Promise<CliResult> {
  const command = [BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  let typed = false;
  const { child, done } = collect(
    `keyhold ${args.join(" ")} on a terminal`,
    () =>
      spawn("script", ["-qec", `${process.execPath} ${command}`, "/dev/null"], {
        env: cliEnv(home, { TERM: options.term, ...options.env }),
        stdio: ["pipe", "pipe", "pipe"],
      }),
    options.deadlineMs,
    (stdout, running) => {
      if (options.waitFor && !typed && stdout.includes(options.waitFor)) {
        typed = true;
        running.stdin!.write(options.typed ?? "");
      }
    },
  );
  if (!options.waitFor) child.stdin!.end();
  return done.then((r) => ({ ...r, stderr: "" }));
}

// A fixture (withFixture) and a temporary home (named `prefix`…) for this file's CLI runs, removed after, with an admin
// key of its own for each group of tests in `admins` (the free plan allows a key 60 requests a minute) and, in `envs`,
// the environment that points the CLI at the fixture with it (filled in beforeAll).
export function withCliHome<G extends string>(prefix: string, groups: G[]) {
  const envs = Object.fromEntries(groups.map((name) => [name, {}])) as Record<G, Record<string, string>>;
  const cli = { home: "", admins: {} as Record<G, { id: string; secret: string }>, envs };
  withFixture();
  beforeAll(async () => {
    cli.home = mkdtempSync(path.join(tmpdir(), prefix));
    for (const name of groups) {
      const made = await createTestKey(`cli-${name}`, { scopes: ["admin"] });
      cli.admins[name] = { id: made.key.id, secret: made.secret };
      Object.assign(envs[name], { KEYHOLD_ENDPOINT: fixture.endpoint, KEYHOLD_API_KEY: made.secret });
    }
  });
  afterAll(() => {
    if (cli.home) rmSync(cli.home, { recursive: true, force: true });
  });
  return cli;
}
