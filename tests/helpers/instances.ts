// API processes (`npm run start:api`) for the multi-instance tests: started on a free loopback port against a given
// database, ready once /api/health answers, stopped with SIGTERM (their graceful drain).
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../scripts/free-port";

export type Instance = { base: string; child: ChildProcess; log: string[] };

// Starts one instance with `extraEnv` on top of this process's environment; waits up to a minute for it to listen.
export async function startInstance(
  databaseUrl: string | undefined,
  extraEnv: Record<string, string> = {},
): Promise<Instance> {
  if (!databaseUrl) throw new Error("API instances share a PostgreSQL database: the test database has no URL");
  const port = await freePort();
  const log: string[] = [];
  const child = spawn("npm", ["run", "start:api", "--silent"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: "api-instances-secret-0123456789abcdef",
      ...extraEnv,
    },
  });
  child.stdout?.on("data", (d: Buffer) => log.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => log.push(d.toString()));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${log.join("")}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { base, child, log };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`instance did not start: ${log.join("")}`);
}

// Stops an instance (SIGTERM to its process group) and resolves once every process of the group is gone: npm may exit
// before the server it started, which drains (still listening, still answering keep-alive sockets) for a while. After
// 30 s the group is killed.
export async function stopInstance({ child }: Instance): Promise<void> {
  const group = -child.pid!;
  const running = child.exitCode === null && child.signalCode === null;
  if (running) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    signal(group, "SIGTERM");
    await exited;
  }
  // (A process left a zombie by an init that does not reap still answers signal 0: give up 5 s after the kill.)
  const deadline = Date.now() + 30_000;
  while (signal(group, 0) && Date.now() < deadline + 5_000) {
    if (Date.now() > deadline) signal(group, "SIGKILL");
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Sends `sig` to a process group; false when no process of it is left.
function signal(group: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(group, sig);
    return true;
  } catch {
    return false;
  }
}
