// A real Keyhold API for client tests: scripts/fixture-server.ts in a child process (fresh embedded database, an admin
// and a read key), stopped by closing its stdin.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

export type Fixture = {
  endpoint: string;
  serviceToken: string;
  organization: { id: string; slug: string; clientId: string };
  keys: { admin: { id: string; secret: string }; read: { id: string; secret: string } };
};

export const ROOT = path.resolve(import.meta.dirname, "../..");

// Starts a fixture server and resolves once it printed its JSON line.
export async function startFixture(): Promise<{ fixture: Fixture; stop: () => Promise<void> }> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  delete env.KEYHOLD_SERVICE_TOKEN;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/fixture-server.ts"], {
    cwd: ROOT,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk) => (stderr += chunk));
  const fixture = await new Promise<Fixture>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => resolve(JSON.parse(line) as Fixture));
    child.once("exit", (code) => reject(new Error(`fixture-server exited (${code}): ${stderr}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.stdin!.end();
    });
  return { fixture, stop };
}
