// A real Keyhold API for client tests: scripts/fixture-server.ts in a child process (fresh embedded database, an admin
// and a read key), stopped by closing its stdin.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, expect } from "vitest";
import { Keyhold, KeyholdError } from "@keyhold/sdk";

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

// The running fixture of the test file that called withFixture(), and a client holding its admin key (live bindings,
// set in its beforeAll).
export let fixture: Fixture;
export let admin: Keyhold;

// Starts a fixture server before the test file's tests (with `admin` signed in by its admin key) and stops it after.
export function withFixture(): void {
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ fixture, stop } = await startFixture());
    admin = new Keyhold({ endpoint: fixture.endpoint, apiKey: fixture.keys.admin.secret, env: {} });
  });
  afterAll(() => stop?.());
}

// A test-environment key made by `admin` (read scope unless `extra` says otherwise): its key object and secret.
export function createTestKey(name: string, extra: Partial<Parameters<Keyhold["keys"]["create"]>[0]> = {}) {
  return admin.keys.create({ name, environment: "test", scopes: ["read"], ...extra });
}

// The error of a second whoami by a new key limited to one request a minute (the first must pass), and how many
// requests the client sent.
export async function secondCallRefused(name: string): Promise<{ err: KeyholdError; calls: number }> {
  const limited = await createTestKey(name, { rateLimit: 1 });
  let calls = 0;
  const { endpoint } = fixture;
  const client = new Keyhold({ endpoint, apiKey: limited.secret, env: {}, fetch: (input) => (calls++, fetch(input)) });
  await client.whoami();
  const err = await rejection(client.whoami());
  return { err, calls };
}

// The error a promise rejects with (fails the test when it resolves).
export async function rejection(promise: Promise<unknown>): Promise<KeyholdError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(KeyholdError);
    return err as KeyholdError;
  }
  throw new Error("expected a KeyholdError");
}
