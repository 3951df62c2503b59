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

// Stops an instance (SIGTERM to its process group) and resolves once it exited.
export function stopInstance({ child }: Instance): Promise<void> {
  return new Promise((resolve) => {
    // Stopped already (exited, or ended by a signal): nothing to wait for.
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    process.kill(-child.pid!, "SIGTERM");
  });
}
