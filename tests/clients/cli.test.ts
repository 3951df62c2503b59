// The built `keyhold` CLI (packages/cli/bin/keyhold.js) run as a child process against a real Keyhold, with HOME and
// XDG_CONFIG_HOME in a temporary folder: every command in table and --json output, the exit codes of each error class,
// the credentials file, precedence flags > environment > file, secrets printed once, colours only on a terminal.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Keyhold } from "@keyhold/sdk";
import { runCli, runCliOnTerminal, withCliHome, type CliResult as Result } from "./cli-process";
import { fixture } from "./fixture";

const cli = withCliHome("kh-cli-", ["login", "keys", "errors", "verify"]);
const { admins } = cli;
let credentialsFile: string;

// The CLI run in this file's temporary home, piped or on an xterm.
const run = (args: string[], options: { env?: Record<string, string>; input?: string } = {}) =>
  runCli(cli.home, args, options);
const runOnTerminal = (
  args: string[],
  options: { env?: Record<string, string>; waitFor?: string; typed?: string } = {},
) => runCliOnTerminal(cli.home, args, { term: "xterm", ...options });

const json = (r: Result) => JSON.parse(r.stdout);
const count = (text: string, needle: string) => text.split(needle).length - 1;

beforeAll(() => {
  credentialsFile = path.join(cli.home, "xdg", "keyhold", "credentials.json");
});

describe("keyhold login, whoami, logout", () => {
  it("says how to log in when there are no credentials (exit 2)", async () => {
    const table = await run(["whoami"]);
    expect(table.code).toBe(2);
    expect(table.stderr).toContain("no credentials: run `keyhold login` or set KEYHOLD_API_KEY");
    const asJson = await run(["whoami", "--json"]);
    expect(asJson.code).toBe(2);
    expect(JSON.parse(asJson.stderr).error.code).toBe("no_credentials");
  });

  it("logs in with the key from stdin, checked with whoami, into a 0600 file holding only the profile", async () => {
    const r = await run(["login", "--endpoint", fixture.endpoint], { input: admins.login.secret + "\n" });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Saved profile "default"');
    expect(r.stdout + r.stderr).not.toContain(admins.login.secret);
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(credentialsFile, "utf8"))).toEqual({
      profiles: {
        default: { endpoint: fixture.endpoint, apiKey: admins.login.secret, clientId: fixture.organization.clientId },
      },
    });
  });

  it("logs in a named profile with --json, never printing the key", async () => {
    const r = await run(["login", "--endpoint", fixture.endpoint, "--profile", "reader", "--json"], {
      input: fixture.keys.read.secret,
    });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ profile: "reader", endpoint: fixture.endpoint, key: { id: fixture.keys.read.id } });
    expect(r.stdout).not.toContain(fixture.keys.read.secret);
    expect(Object.keys(JSON.parse(readFileSync(credentialsFile, "utf8")).profiles)).toEqual(["default", "reader"]);
  });

  it("refuses a bad key (exit 2) and a missing endpoint (exit 1) without saving anything", async () => {
    const before = readFileSync(credentialsFile, "utf8");
    const bad = await run(["login", "--endpoint", fixture.endpoint, "--profile", "bad"], { input: "kh_test_wrong" });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid_key");
    const noEndpoint = await run(["login", "--profile", "bad"], { input: admins.login.secret });
    expect(noEndpoint.code).toBe(1);
    expect(noEndpoint.stderr).toContain("--endpoint");
    expect(readFileSync(credentialsFile, "utf8")).toBe(before);
  });

  it("on a terminal starts the browser sign-in: prints the code and the approval URL (Ctrl-C stops it)", async () => {
    const r = await runOnTerminal(["login", "--no-browser", "--endpoint", fixture.endpoint, "--profile", "web"], {
      waitFor: "Waiting for approval",
      typed: "\u0003",
    });
    const code = r.stdout.match(/one-time code: \S*?([A-Z]{4}-[A-Z]{4})/)?.[1];
    expect(code).toBeDefined();
    // The approval page is on the dashboard's public URL (NEXTAUTH_URL).
    expect(r.stdout).toMatch(new RegExp(`https?://\\S+/cli/authorize\\?code=${code}`));
    expect(r.code).not.toBe(0);
    expect(readFileSync(credentialsFile, "utf8")).not.toContain('"web"');
  });

  it("with --with-key reads the key at a prompt that does not echo it on a terminal", async () => {
    const r = await runOnTerminal(["login", "--with-key", "--endpoint", fixture.endpoint, "--profile", "typed"], {
      waitFor: "API key: ",
      typed: admins.login.secret + "\r",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Saved profile "typed"');
    expect(r.stdout).not.toContain(admins.login.secret);
  });

  it("whoami prints the key in use as a table or JSON", async () => {
    const table = await run(["whoami"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Key\s+cli-login/);
    expect(table.stdout).toMatch(/Key from\s+credentials file/);
    const asJson = await run(["whoami", "--json"]);
    expect(json(asJson).key.id).toBe(admins.login.id);
    expect((await run(["whoami", "--json", "--profile", "reader"])).stdout).toContain(fixture.keys.read.id);
  });

  it("takes flags over KEYHOLD_* variables over the credentials file", async () => {
    const fromEnv = await run(["whoami", "--json"], { env: { KEYHOLD_API_KEY: fixture.keys.read.secret } });
    expect(json(fromEnv).key.id).toBe(fixture.keys.read.id);
    const fromFlag = await run(["whoami", "--json", "--api-key", admins.login.secret], {
      env: { KEYHOLD_API_KEY: fixture.keys.read.secret },
    });
    expect(json(fromFlag).key.id).toBe(admins.login.id);
    const badEnv = { KEYHOLD_ENDPOINT: "http://127.0.0.1:9" };
    expect((await run(["whoami"], { env: badEnv })).code).toBe(5);
    expect((await run(["whoami", "--endpoint", fixture.endpoint], { env: badEnv })).code).toBe(0);
    const profileFromEnv = await run(["whoami", "--json"], { env: { KEYHOLD_PROFILE: "reader" } });
    expect(json(profileFromEnv).key.id).toBe(fixture.keys.read.id);
  });

  it("colours output only on a terminal, and not with NO_COLOR", async () => {
    expect((await run(["keys", "list", "--profile", "reader"])).stdout).not.toContain("\u001b[");
    expect((await runOnTerminal(["keys", "list", "--profile", "reader"])).stdout).toContain("\u001b[");
    expect(
      (await runOnTerminal(["keys", "list", "--profile", "reader"], { env: { NO_COLOR: "1" } })).stdout,
    ).not.toContain("\u001b[");
  });

  it("logout removes one profile, and the file with the last", async () => {
    const r = await run(["logout", "--profile", "typed"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Removed profile "typed"');
    expect(Object.keys(JSON.parse(readFileSync(credentialsFile, "utf8")).profiles)).toEqual(["default", "reader"]);
    expect(json(await run(["logout", "--profile", "reader", "--json"]))).toMatchObject({ removed: true });
    expect(json(await run(["logout", "--profile", "reader", "--json"]))).toMatchObject({ removed: false });
    expect((await run(["logout"])).code).toBe(0);
    expect(existsSync(credentialsFile)).toBe(false);
  });
});

describe("keyhold keys", () => {
  const env = cli.envs.keys;

  it("lists keys as a table or JSON", async () => {
    const table = await run(["keys", "list"], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+PREFIX/);
    expect(table.stdout).toContain("fixture-read");
    const asJson = json(await run(["keys", "list", "--json", "--limit", "2"], { env }));
    expect(asJson.data).toHaveLength(2);
    expect(asJson.nextCursor).toEqual(expect.any(String));
    const all = json(await run(["keys", "list", "--json", "--all"], { env }));
    expect(all.data.map((k: { id: string }) => k.id)).toContain(fixture.keys.admin.id);
  });

  it("gets a key as a table or JSON; an unknown id exits 3", async () => {
    expect((await run(["keys", "get", fixture.keys.read.id], { env })).stdout).toMatch(/Name\s+fixture-read/);
    expect(json(await run(["keys", "get", fixture.keys.read.id, "--json"], { env })).name).toBe("fixture-read");
    const missing = await run(["keys", "get", "no-such-key"], { env });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("not_found");
    const missingJson = await run(["keys", "get", "no-such-key", "--json"], { env });
    expect(missingJson.code).toBe(3);
    expect(JSON.parse(missingJson.stderr)).toMatchObject({ error: { code: "not_found", status: 404 } });
  });

  it("creates a key and prints its secret exactly once, on stdout; the secret works", async () => {
    const table = await run(
      ["keys", "create", "--name", "cli-made", "--scope", "read", "--environment", "test", "--expires-in", "7"],
      { env },
    );
    expect(table.code).toBe(0);
    const secret = table.stdout.match(/kh_test_[A-Za-z0-9]{38}/)![0];
    expect(count(table.stdout, secret)).toBe(1);
    expect(table.stderr).not.toContain(secret);
    expect(table.stderr).toContain("shown this once");
    const who = await run(["whoami", "--json", "--api-key", secret], { env });
    expect(json(who).key.name).toBe("cli-made");

    const asJson = await run(
      [
        "keys",
        "create",
        "--json",
        "--name",
        "cli-made-json",
        "--scope",
        "read",
        "--scope",
        "write",
        "--environment",
        "live",
        "--permission",
        "inference:read",
        "--ip",
        "10.0.0.0/8",
        "--rate-limit",
        "30",
        "--credits",
        "5",
      ],
      { env },
    );
    expect(asJson.code).toBe(0);
    const created = json(asJson);
    expect(created.key).toMatchObject({
      name: "cli-made-json",
      environment: "live",
      scopes: ["read", "write"],
      permissions: ["inference:read"],
      rateLimit: 30,
      credits: { remaining: 5 },
    });
    expect(count(asJson.stdout, created.secret)).toBe(1);
    expect(asJson.stderr).toBe("");
  });

  it("updates a key as a table or JSON; bad or no changes exit 1", async () => {
    const id = json(
      await run(["keys", "create", "--json", "--name", "cli-upd", "--scope", "read", "--environment", "test"], { env }),
    ).key.id;
    const table = await run(["keys", "update", id, "--name", "cli-upd-2", "--rate-limit", "10"], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Name\s+cli-upd-2/);
    expect(table.stdout).toMatch(/Rate limit\s+10\/min/);
    const asJson = json(await run(["keys", "update", id, "--json", "--scope", "write", "--plan-rate-limit"], { env }));
    expect(asJson).toMatchObject({ scopes: ["write"], rateLimit: null });
    expect((await run(["keys", "update", id], { env })).code).toBe(1);
    const invalid = await run(["keys", "update", id, "--scope", "root"], { env });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("scopes");
  });

  it("rotates (and regenerate, its alias): the new secret works, the old one stops", async () => {
    const made = json(
      await run(["keys", "create", "--json", "--name", "cli-rot", "--scope", "read", "--environment", "test"], { env }),
    );
    const table = await run(["keys", "rotate", made.key.id, "--grace", "0"], { env });
    expect(table.code).toBe(0);
    const fresh = table.stdout.match(/kh_test_[A-Za-z0-9]{38}/)![0];
    expect(fresh).not.toBe(made.secret);
    expect(count(table.stdout, fresh)).toBe(1);
    expect((await run(["whoami", "--api-key", fresh], { env })).code).toBe(0);
    expect((await run(["whoami", "--api-key", made.secret], { env })).code).toBe(2);

    const again = await run(["keys", "regenerate", made.key.id, "--json"], { env });
    expect(again.code).toBe(0);
    const newer = json(again).secret;
    expect(count(again.stdout, newer)).toBe(1);
    expect(json(await run(["whoami", "--json", "--api-key", newer], { env })).key.id).toBe(made.key.id);
  });

  it("revokes a key as a table or JSON; the revoked key is refused (exit 2)", async () => {
    const made = json(
      await run(["keys", "create", "--json", "--name", "cli-rev", "--scope", "read", "--environment", "test"], { env }),
    );
    const table = await run(["keys", "revoke", made.key.id, "--yes"], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("Revoked cli-rev");
    expect(json(await run(["keys", "revoke", made.key.id, "--json", "-y"], { env })).revokedAt).toEqual(
      expect.any(String),
    );
    const refused = await run(["whoami", "--api-key", made.secret], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("revoked_key");
  });

  it("usage draws a chart with totals, or prints JSON", async () => {
    const table = await run(["usage", "--range", "24h"], { env });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Requests per hour/);
    expect(table.stdout).toMatch(/OUTCOME\s+REQUESTS/);
    expect(table.stdout).toMatch(/total\s+\d+/);
    const asJson = json(await run(["usage", "--json", "--interval", "day", "--range", "7d"], { env }));
    expect(asJson.interval).toBe("day");
    expect(asJson.totals).toHaveProperty("total");
    expect((await run(["usage", "--range", "1y"], { env })).code).toBe(1);
  });
});

describe("keyhold exit codes", () => {
  const env = cli.envs.errors;

  it("1 for usage errors: unknown command, missing or bad flags", async () => {
    expect((await run(["frobnicate"], { env })).code).toBe(1);
    expect((await run(["keys", "create", "--name", "x"], { env })).code).toBe(1);
    expect((await run(["keys", "rotate", "id", "--grace", "soon"], { env })).code).toBe(1);
    expect(
      (await run(["keys", "create", "--name", "x", "--scope", "read", "--environment", "prod"], { env })).code,
    ).toBe(1);
    const endpoint = await run(["whoami", "--endpoint", "localhost:3000"], { env });
    expect(endpoint.code).toBe(1);
    expect(endpoint.stderr).toContain("endpoint must be an http(s) URL");
    expect((await run(["--help"], { env })).code).toBe(0);
  });

  it("4 for refusals: scope, IP allowlist, rate limit", async () => {
    const scope = await run(["keys", "create", "--name", "x", "--scope", "read", "--environment", "test"], {
      env: { ...env, KEYHOLD_API_KEY: fixture.keys.read.secret },
    });
    expect(scope.code).toBe(4);
    expect(scope.stderr).toContain("insufficient_scope");

    const admin = new Keyhold({ endpoint: fixture.endpoint, apiKey: admins.errors.secret, env: {} });
    const elsewhere = await admin.keys.create({
      name: "cli-elsewhere",
      environment: "test",
      scopes: ["read"],
      ipAllowlist: [{ value: "10.0.0.0/8" }],
    });
    expect((await run(["whoami", "--api-key", elsewhere.secret], { env })).code).toBe(4);

    const limited = await admin.keys.create({
      name: "cli-limited",
      environment: "test",
      scopes: ["read"],
      rateLimit: 1,
    });
    expect((await run(["whoami", "--api-key", limited.secret], { env })).code).toBe(0);
    const refused = await run(["whoami", "--json", "--api-key", limited.secret], { env });
    expect(refused.code).toBe(4);
    expect(JSON.parse(refused.stderr).error).toMatchObject({ code: "rate_limited", status: 429 });
  });

  it("5 for network failures", async () => {
    const r = await run(["keys", "list"], { env: { ...env, KEYHOLD_ENDPOINT: "http://127.0.0.1:9" } });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain("network_error");
  });
});

describe("keyhold verify", () => {
  const env = cli.envs.verify;

  it("answers the verdict as a table or JSON, with the service token from the flag or KEYHOLD_SERVICE_TOKEN", async () => {
    const table = await run(["verify", "--service-token", fixture.serviceToken, "--scope", "read"], {
      env,
      input: fixture.keys.read.secret + "\n",
    });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Verdict\s+VALID/);
    const asJson = await run(["verify", "--json"], {
      env: { ...env, KEYHOLD_SERVICE_TOKEN: fixture.serviceToken },
      input: fixture.keys.read.secret,
    });
    expect(asJson.code).toBe(0);
    expect(json(asJson)).toMatchObject({ valid: true, code: "VALID", keyId: fixture.keys.read.id });
  });

  it("exits 4 for a refusal, 2 for an unknown or revoked key, 2 without a service token", async () => {
    const withToken = { ...env, KEYHOLD_SERVICE_TOKEN: fixture.serviceToken };
    const key = fixture.keys.read.secret;
    const scope = await run(["verify", "--scope", "admin", "--json"], { env: withToken, input: key });
    expect(scope.code).toBe(4);
    expect(json(scope).code).toBe("INSUFFICIENT_SCOPE");
    const perm = await run(["verify", "--permission", "inference:write"], { env: withToken, input: key });
    expect(perm.code).toBe(4);
    expect(perm.stdout).toMatch(/Verdict\s+INSUFFICIENT_PERMISSIONS/);
    expect((await run(["verify"], { env: withToken, input: "kh_test_unknown" })).code).toBe(2);
    const noToken = await run(["verify"], { env, input: key });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("KEYHOLD_SERVICE_TOKEN");
    expect((await run(["verify", "--cost", "-1"], { env: withToken, input: key })).code).toBe(1);
  });
});
