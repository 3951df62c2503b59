// The built `keyhold` CLI against a real Keyhold: `webhooks list|create|deliveries|redeliver|test`, `listen
// --forward-to` forwarding a real event to a local HTTP server signed so the SDK's webhooks.verify accepts it, the
// completion scripts, and the CLI's manners (help, --profile, verify on stdin, 403 naming the scope, rotate, revoke).
// Every child process and every wait has a deadline.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyhold, verifyWebhook } from "@keyhold/sdk";
import { BIN, cliEnv, runCli, runCliOnTerminal, withCliHome, type CliResult as Result } from "./cli-process";
import { fixture } from "./fixture";

const DEADLINE_MS = 30_000;

const cli = withCliHome("kh-cli-hooks-", ["webhooks", "listen", "manners", "trigger"]);
const { admins } = cli;

// The CLI run in this file's temporary home, piped or on a dumb terminal, each within DEADLINE_MS.
const run = (args: string[], options: { env?: Record<string, string>; input?: string } = {}) =>
  runCli(cli.home, args, { ...options, deadlineMs: DEADLINE_MS });
const runOnTerminal = (args: string[], options: { env?: Record<string, string>; waitFor: string; typed: string }) =>
  runCliOnTerminal(cli.home, args, { term: "dumb", deadlineMs: DEADLINE_MS, ...options });

// Resolves once `read()` satisfies `done`, polling every 50 ms; rejects past `ms`.
async function until<T>(read: () => T, done: (value: T) => boolean, ms: number, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const json = (r: Result) => JSON.parse(r.stdout);

describe("keyhold webhooks", () => {
  const env = cli.envs.webhooks;

  it("creates an endpoint (secret once, on stdout), lists it, sends a test event, shows and redelivers it", async () => {
    const created = await run(
      ["webhooks", "create", "--url", "https://93.184.215.14/hooks", "--event", "key.created,key.revoked"],
      { env },
    );
    expect(created.code).toBe(0);
    const secret = created.stdout.match(/whsec_[A-Za-z0-9+/=]+/)![0];
    expect(created.stdout.split(secret)).toHaveLength(2);
    expect(created.stderr).toContain("shown this once");
    const id = created.stdout.match(/ID\s+(\S+)/)![1];

    const listed = await run(["webhooks", "list"], { env });
    expect(listed.stdout).toMatch(/^ID\s+URL\s+EVENTS\s+STATE/);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain("key.created,key.revoked");
    expect(listed.stdout).not.toContain(secret);
    expect(json(await run(["webhooks", "list", "--json"], { env })).data.map((w: { id: string }) => w.id)).toContain(
      id,
    );

    const tested = await run(["webhooks", "test", id, "--json"], { env });
    expect(tested.code).toBe(0);
    const { deliveryId, eventId } = json(tested);
    expect(eventId).toMatch(/^evt_/);
    expect((await run(["webhooks", "test", id], { env })).stdout).toMatch(/Queued webhook\.test event evt_\w+/);

    const log = await run(["webhooks", "deliveries", id], { env });
    expect(log.stdout).toMatch(/^ID\s+EVENT\s+TYPE\s+STATUS/);
    expect(log.stdout).toContain(deliveryId);
    expect(log.stdout).toContain("webhook.test");
    const page = json(await run(["webhooks", "deliveries", id, "--json", "--limit", "1"], { env }));
    expect(page.data).toHaveLength(1);
    expect(page.nextCursor).toEqual(expect.any(String));

    const again = await run(["webhooks", "redeliver", id, deliveryId, "--json"], { env });
    expect(again.code).toBe(0);
    expect(json(again)).toMatchObject({ id: deliveryId, eventId, status: "pending" });
  });

  it("exits 3 for an unknown endpoint, 4 for a read key naming the admin scope, 1 without --url", async () => {
    const missing = await run(["webhooks", "test", "no-such-webhook"], { env });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("not_found");
    const read = await run(["webhooks", "list"], { env: { ...env, KEYHOLD_API_KEY: fixture.keys.read.secret } });
    expect(read.code).toBe(4);
    expect(read.stderr).toMatch(/insufficient_scope: .*needs a key with the admin scope.*this key has: read/);
    const noUrl = await run(["webhooks", "create", "--event", "key.created"], { env });
    expect(noUrl.code).toBe(1);
    expect(noUrl.stderr).toContain("--url");
  });
});

describe("keyhold listen", () => {
  let receiver: Server;
  let received: { headers: IncomingHttpHeaders; body: string }[];
  let status = 204;

  beforeAll(async () => {
    received = [];
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  // Starts `keyhold listen` and resolves once it printed its ready line.
  async function startListen(extra: string[] = []) {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const child: ChildProcessWithoutNullStreams = spawn(
      process.execPath,
      [BIN, "listen", "--forward-to", url, ...extra],
      {
        env: cliEnv(cli.home, { KEYHOLD_ENDPOINT: fixture.endpoint, KEYHOLD_API_KEY: admins.listen.secret }),
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    const output = { stdout: "", stderr: "" };
    child.stdout.on("data", (c) => (output.stdout += c));
    child.stderr.on("data", (c) => (output.stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    exited.finally(() => clearTimeout(killer));
    await until(
      () => output.stdout,
      (s) => s.includes("Ready!") || s.includes('"ready":true') || child.exitCode !== null,
      20_000,
      "the ready line",
    );
    return { child, output, exited };
  }

  it("forwards the organization's events, signed with the secret it printed; Ctrl-C exits 0", async () => {
    const { child, output, exited } = await startListen();
    const secret = output.stdout.match(/signing secret is (whsec_[A-Za-z0-9+/=]+)/)![1];

    const trigger = new Keyhold({ endpoint: fixture.endpoint, apiKey: admins.trigger.secret, env: {} });
    const made = await trigger.keys.create({ name: "listened", environment: "test", scopes: ["read"] });
    const delivery = await until(
      () => received.find((r) => r.body.includes(made.key.id)),
      (r) => r !== undefined,
      15_000,
      "the forwarded key.created event",
    );
    const event = verifyWebhook(delivery!.body, delivery!.headers as Record<string, string>, secret);
    expect(event).toMatchObject({ type: "key.created", data: { key: { id: made.key.id, name: "listened" } } });
    expect(delivery!.headers["webhook-id"]).toMatch(/^evt_/);
    expect(JSON.stringify(event)).not.toContain(made.secret);
    // Another secret does not verify it.
    expect(() =>
      verifyWebhook(delivery!.body, delivery!.headers as Record<string, string>, "whsec_" + "A".repeat(32)),
    ).toThrow();

    await until(
      () => output.stdout,
      // The line names what the event is about (the typed event's key), then its id.
      (s) => /key\.created\s+listened \(kh_test_\w+…\)\s+evt_\w+\s+→ 204/.test(s),
      10_000,
      "the event's line",
    );
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output.stderr).toMatch(/Stopped after forwarding \d+ event/);
  });

  it("with --json and --secret: JSON lines, the given secret, the local answer's status; --events filters", async () => {
    status = 500;
    const secret = "whsec_" + Buffer.from("a fixed local secret for tests!!").toString("base64");
    const { child, output, exited } = await startListen(["--json", "--secret", secret, "--events", "key.revoked"]);
    expect(JSON.parse(output.stdout.split("\n")[0])).toEqual({ ready: true, forwardTo: expect.any(String), secret });
    const trigger = new Keyhold({ endpoint: fixture.endpoint, apiKey: admins.trigger.secret, env: {} });
    const made = await trigger.keys.create({ name: "filtered", environment: "test", scopes: ["read"] });
    await trigger.keys.revoke(made.key.id);
    const line = await until(
      () => output.stdout.split("\n").find((l) => l.includes("key.revoked")),
      (l) => l !== undefined,
      15_000,
      "the key.revoked line",
    );
    expect(JSON.parse(line!)).toMatchObject({ type: "key.revoked", status: 500, id: expect.stringMatching(/^evt_/) });
    expect(output.stdout).not.toContain('"key.created"');
    const delivery = received.find((r) => r.body.includes('"key.revoked"') && r.body.includes(made.key.id))!;
    expect(verifyWebhook(delivery.body, delivery.headers as Record<string, string>, secret).type).toBe("key.revoked");
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    status = 204;
  });

  it("refuses a read key (exit 4) and a URL that is not http(s) (exit 1)", async () => {
    const url = "http://127.0.0.1:9/hooks";
    const read = await run(["listen", "--forward-to", url], {
      env: { KEYHOLD_ENDPOINT: fixture.endpoint, KEYHOLD_API_KEY: fixture.keys.read.secret },
    });
    expect(read.code).toBe(4);
    expect(read.stderr).toContain("admin scope");
    const bad = await run(["listen", "--forward-to", "localhost:3000"], {
      env: { KEYHOLD_ENDPOINT: fixture.endpoint, KEYHOLD_API_KEY: admins.listen.secret },
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--forward-to must be an http(s) URL");
  });
});

describe("keyhold manners", () => {
  const env = cli.envs.manners;

  it("prints help and exits 0 when run alone", async () => {
    const bare = await run([]);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^Usage: keyhold/);
    for (const command of ["webhooks", "listen", "completion", "keys"]) expect(bare.stdout).toContain(command);
  });

  it("lists every subcommand's options, the required ones marked, and the global options", async () => {
    const commands = [
      ["login"],
      ["whoami"],
      ["keys", "list"],
      ["keys", "get"],
      ["keys", "create"],
      ["keys", "update"],
      ["keys", "rotate"],
      ["keys", "revoke"],
      ["usage"],
      ["verify"],
      ["webhooks", "list"],
      ["webhooks", "create"],
      ["webhooks", "deliveries"],
      ["webhooks", "redeliver"],
      ["webhooks", "test"],
      ["listen"],
      ["completion"],
    ];
    for (const command of commands) {
      const help = await run([...command, "--help"]);
      expect(help.code, command.join(" ")).toBe(0);
      expect(help.stdout, command.join(" ")).toMatch(/Global Options:[\s\S]*--profile <name>[\s\S]*--json/);
    }
    const create = (await run(["keys", "create", "--help"])).stdout;
    expect(create).toMatch(/--name <name>[^\n]*\n?[^\n]*\(required\)/);
    expect(create).toMatch(/--environment <env>\s+live or test \(required\)/);
    expect(create).not.toMatch(/--expires-in[^\n]*\(required\)/);
    expect((await run(["listen", "--help"])).stdout).toMatch(/--forward-to <url>[\s\S]*\(required\)/);
    expect((await run(["keys", "revoke", "--help"])).stdout).toContain("--yes");
  });

  it("names a profile the credentials file lacks (exit 2)", async () => {
    const r = await run(["whoami", "--profile", "nosuch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no profile "nosuch"');
    expect((await run(["whoami"], { env: { KEYHOLD_PROFILE: "nosuch" } })).stderr).toContain('"nosuch"');
  });

  it("verify reads the key from stdin and refuses one on the command line (exit 1, never echoing it)", async () => {
    const withToken = { ...env, KEYHOLD_SERVICE_TOKEN: fixture.serviceToken };
    const argv = await run(["verify", fixture.keys.read.secret], { env: withToken });
    expect(argv.code).toBe(1);
    expect(argv.stderr).toContain("reads the key from stdin");
    expect(argv.stdout + argv.stderr).not.toContain(fixture.keys.read.secret);
    const piped = await run(["verify", "--json"], { env: withToken, input: fixture.keys.read.secret + "\n" });
    expect(json(piped)).toMatchObject({ valid: true, keyId: fixture.keys.read.id });
    const typed = await runOnTerminal(["verify"], {
      env: withToken,
      waitFor: "Key to verify: ",
      typed: fixture.keys.read.secret + "\r",
    });
    expect(typed.code).toBe(0);
    expect(typed.stdout).toMatch(/Verdict\s+VALID/);
    expect(typed.stdout).not.toContain(fixture.keys.read.secret);
    expect((await run(["verify"], { env: withToken })).stderr).toContain("no key to verify given");
  });

  it("rotate says when the old secret stops working", async () => {
    const admin = new Keyhold({ endpoint: fixture.endpoint, apiKey: admins.manners.secret, env: {} });
    const made = await admin.keys.create({ name: "rotate-manners", environment: "test", scopes: ["read"] });
    const graced = await run(["keys", "rotate", made.key.id, "--grace", "3600"], { env });
    expect(graced.code).toBe(0);
    const until = graced.stderr.match(/old secret keeps working until (\S+) \(3600 s\)/)![1];
    expect(Math.abs(Date.parse(until) - (Date.now() + 3_600_000))).toBeLessThan(60_000);
    expect((await run(["keys", "rotate", made.key.id], { env })).stderr).toContain("old secret stopped working now");
  });

  it("revoke asks on a terminal, refuses without --yes off one (exit 1), and revokes with --yes", async () => {
    const admin = new Keyhold({ endpoint: fixture.endpoint, apiKey: admins.manners.secret, env: {} });
    const made = await admin.keys.create({ name: "revoke-manners", environment: "test", scopes: ["read"] });
    const piped = await run(["keys", "revoke", made.key.id], { env });
    expect(piped.code).toBe(1);
    expect(piped.stderr).toContain("pass --yes");
    const declined = await runOnTerminal(["keys", "revoke", made.key.id], { env, waitFor: "[y/N]", typed: "n\r" });
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain("Revoke revoke-manners");
    expect((await admin.keys.get(made.key.id)).revokedAt).toBeNull();
    const accepted = await runOnTerminal(["keys", "revoke", made.key.id], { env, waitFor: "[y/N]", typed: "y\r" });
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toContain("Revoked revoke-manners");
    expect((await admin.keys.get(made.key.id)).revokedAt).not.toBeNull();
    const other = await admin.keys.create({ name: "revoke-yes", environment: "test", scopes: ["read"] });
    expect((await run(["keys", "revoke", other.key.id, "--yes"], { env })).code).toBe(0);
  });
});

describe("keyhold completion", () => {
  // The words bash completes after `typed` (the last word is the one being completed).
  function bashCompletes(script: string, typed: string[]): string[] {
    const words = ["keyhold", ...typed].map((w) => `'${w}'`).join(" ");
    const r = spawnSync(
      "bash",
      [
        "-c",
        `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=${typed.length}; _keyhold; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ],
      { encoding: "utf8", timeout: DEADLINE_MS },
    );
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.split("\n").filter(Boolean);
  }

  it("bash: completes commands, subcommands and their options, and not an option's value", async () => {
    const r = await run(["completion", "bash"]);
    expect(r.code).toBe(0);
    expect(bashCompletes(r.stdout, [""])).toEqual(expect.arrayContaining(["keys", "webhooks", "listen", "completion"]));
    expect(bashCompletes(r.stdout, ["web"])).toEqual(["webhooks"]);
    expect(bashCompletes(r.stdout, ["webhooks", ""])).toEqual(
      expect.arrayContaining(["list", "create", "deliveries", "redeliver", "test"]),
    );
    expect(bashCompletes(r.stdout, ["--profile", "ci", "keys", "cr"])).toEqual(["create"]);
    expect(bashCompletes(r.stdout, ["keys", "create", "--en"]).sort()).toEqual(["--endpoint", "--environment"]);
    expect(bashCompletes(r.stdout, ["listen", "--forward-to", ""])).toEqual([]);
  });

  it("zsh and fish: scripts naming every command; an unknown shell exits 1", async () => {
    const zsh = await run(["completion", "zsh"]);
    expect(zsh.stdout).toMatch(/^#compdef keyhold/);
    expect(zsh.stdout).toContain("'webhooks create')");
    const fish = await run(["completion", "fish"]);
    expect(fish.stdout).toContain("complete -c keyhold -n '__keyhold_path webhooks' -a 'test'");
    expect(fish.stdout).toContain("-l forward-to -r");
    expect((await run(["completion", "tcsh"])).code).toBe(1);
  });
});
