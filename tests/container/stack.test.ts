// The image and compose.yaml for real (compose.ci.yaml: host network, the CI's PostgreSQL and Redis): migrations run once,
// `admin create`, sign-up and keys through the dashboard, verification through both API replicas, a revocation on web
// refused by both replicas within 1 s, `docker stop` of a replica under load cuts nothing, non-root, read-only root.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client } from "pg";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { migrationsDir } from "@/lib/migrations";
import { freePort } from "../../scripts/free-port";

const root = path.resolve(import.meta.dirname, "../..");
const image = `keyhold:stack-test`;
const project = `kh-stack-${process.pid}`;
const PASSWORD = "correct horse battery staple";

// Runs a command with a deadline; resolves with its exit code and output (never rejects on a non-zero exit).
function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      cmd,
      args,
      { cwd: root, env: opts.env ?? process.env, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr: err && err.killed ? `${stderr}\n[killed after its deadline]` : stderr });
      },
    );
    child.stdin?.end(opts.input ?? "");
  });
}

async function must(cmd: string, args: string[], opts: Parameters<typeof run>[2] = {}) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0)
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.code}:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}

const fetchWithin = (url: string, init: RequestInit = {}, ms = 5000) =>
  fetch(url, { ...init, signal: AbortSignal.timeout(ms) });

describe("the image and the compose stack", () => {
  const { TEST_DATABASE_URL, REDIS_URL, CHROMIUM_PATH } = env();
  const work = mkdtempSync(path.join(tmpdir(), "kh-stack-"));
  const envFile = path.join(work, ".env");
  const dbName = `kh_stack_${process.pid}`;
  let databaseUrl = "";
  let ports = { web: 0, api1: 0, api2: 0, http: 0 };
  let composeEnv: NodeJS.ProcessEnv = { ...process.env };
  let browser: Browser | undefined;
  const compose = (args: string[], opts: Parameters<typeof run>[2] = {}) =>
    run(
      "docker-compose",
      ["--env-file", envFile, "-p", project, "-f", "compose.yaml", "-f", "compose.ci.yaml", ...args],
      {
        ...opts,
        env: composeEnv,
      },
    );
  const containerOf = async (service: string) => (await compose(["ps", "-q", service])).stdout.trim();
  // One service's logs, or every service's.
  const logsOf = async (service?: string) => {
    const r = await compose(["logs", "--no-color", ...(service ? [service] : [])]);
    return r.stdout + r.stderr;
  };

  beforeAll(async () => {
    // Nothing here is optional: a missing engine, database or Redis fails the test with the reason.
    if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL (the CI's PostgreSQL) is required");
    if (!REDIS_URL) throw new Error("REDIS_URL (the CI's Redis) is required");
    const info = await run("docker", ["info", "--format", "{{.ServerVersion}}"], { timeoutMs: 20_000 });
    if (info.code !== 0) throw new Error(`No Docker engine answers (scripts/ci-docker.sh starts one): ${info.stderr}`);
    const base = await run("docker", ["image", "inspect", "debian:trixie-slim"], { timeoutMs: 20_000 });
    if (base.code !== 0) throw new Error("The base image debian:trixie-slim is absent (scripts/ci-docker.sh makes it)");

    const started = Date.now();
    // The host's locally added CAs (an egress proxy's) let npm reach the registry inside the build stage only.
    const caDir = "/usr/local/share/ca-certificates";
    const cas = existsSync(caDir)
      ? readdirSync(caDir)
          .filter((f) => f.endsWith(".crt"))
          .map((f) => readFileSync(path.join(caDir, f), "utf8"))
          .join("\n")
      : "";
    await must("docker", ["build", "--network", "host", "--build-arg", `EXTRA_CA_CERTS=${cas}`, "-t", image, "."], {
      timeoutMs: 40 * 60_000,
      env: { ...process.env, DOCKER_BUILDKIT: "0" },
    });
    console.log(`image built in ${Math.round((Date.now() - started) / 1000)} s`);

    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    const redis = new URL(REDIS_URL);

    ports = { web: await freePort(), api1: await freePort(), api2: await freePort(), http: await freePort() };
    await must("sh", ["scripts/generate-env.sh", envFile]);
    composeEnv = {
      ...process.env,
      KEYHOLD_IMAGE: image,
      KH_CI_DATABASE_URL: databaseUrl,
      KH_CI_POSTGRES_PORT: url.port || "5432",
      KH_CI_REDIS_URL: REDIS_URL,
      KH_CI_REDIS_PORT: redis.port || "6379",
      KH_CI_WEB_PORT: String(ports.web),
      KH_CI_API1_PORT: String(ports.api1),
      KH_CI_API2_PORT: String(ports.api2),
      KH_CI_HTTP_PORT: String(ports.http),
      DOCKER_BUILDKIT: "0",
    };
    const up = Date.now();
    await must("docker-compose", ["--version"], { env: composeEnv });
    // The caddy image is built from Debian's package (compose.ci.yaml): the official image cannot be pulled here.
    const caddy = await compose(["build", "caddy-ci"], { timeoutMs: 15 * 60_000 });
    if (caddy.code !== 0) throw new Error(`building the CI caddy image failed:\n${caddy.stdout}\n${caddy.stderr}`);
    const upResult = await compose(["up", "-d", "--no-build"], { timeoutMs: 10 * 60_000 });
    if (upResult.code !== 0) throw new Error(`compose up failed:\n${upResult.stderr}\n${await logsOf()}`);
    // Caddy answers once web and both API replicas are healthy (depends_on conditions).
    const deadline = Date.now() + 3 * 60_000;
    for (;;) {
      const ok = await fetchWithin(`http://127.0.0.1:${ports.http}/api/v1/ping`, {}, 2000).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the stack did not answer through Caddy:\n${await logsOf()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`stack up in ${Math.round((Date.now() - up) / 1000)} s`);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH ?? "/usr/bin/chromium" });
  });

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    if (composeEnv.KH_CI_DATABASE_URL)
      await compose(["down", "-v", "--remove-orphans", "-t", "30"], { timeoutMs: 3 * 60_000 });
    if (databaseUrl && TEST_DATABASE_URL) {
      const admin = new Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(work, { recursive: true, force: true });
  });

  it("ran every migration exactly once: the one-shot migrate applied them, web and the replicas found none pending", async () => {
    const expected = readdirSync(migrationsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query<{ migration_name: string; finished_at: Date | null }>(
      "SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name",
    );
    await db.end();
    expect(rows.map((r) => r.migration_name)).toEqual([...expected].sort());
    expect(rows.every((r) => r.finished_at)).toBe(true);
    expect(await logsOf("migrate")).toContain(`Applied ${expected.length} migration(s) to PostgreSQL`);
    for (const service of ["web", "api-1", "api-2"])
      expect(await logsOf(service)).toContain("PostgreSQL: no pending migrations");
    const migrate = await containerOf("migrate");
    expect((await must("docker", ["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", migrate])).trim()).toBe(
      "exited 0",
    );
  });

  it("runs as a non-root user on a read-only root file system, DATA_DIR the only writable path", async () => {
    for (const service of ["web", "api-1", "api-2"]) {
      const id = await containerOf(service);
      expect((await must("docker", ["inspect", "-f", "{{.HostConfig.ReadonlyRootfs}}", id])).trim()).toBe("true");
      expect((await must("docker", ["exec", id, "id", "-u"])).trim()).toBe("10001");
      // PID 1 is tini; node runs as its child under the same non-root user.
      expect((await must("docker", ["exec", id, "cat", "/proc/1/comm"])).trim()).toBe("tini");
      const ps = await must("docker", [
        "exec",
        id,
        "sh",
        "-c",
        'for p in /proc/[0-9]*; do echo "$(cat $p/comm) $(stat -c %u $p)"; done',
      ]);
      expect(ps).toMatch(/^node 10001$/m);
      expect(ps).not.toMatch(/ 0$/m);
      const write = await run("docker", ["exec", id, "sh", "-c", "touch /app/x"]);
      expect(write.code).not.toBe(0);
      expect(write.stderr).toContain("Read-only file system");
      expect((await run("docker", ["exec", id, "sh", "-c", "touch /data/x && rm /data/x"])).code).toBe(0);
    }
  });

  it("admin create makes the first administrator, and again changes nothing", async () => {
    const created = await compose(["run", "--rm", "-T", "migrate", "admin", "create", "--email", "ops@example.com"], {
      input: `${PASSWORD}\n`,
      timeoutMs: 120_000,
    });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("Created ops@example.com as an administrator.");
    const again = await compose(["run", "--rm", "-T", "migrate", "admin", "create", "--email", "ops@example.com"], {
      timeoutMs: 120_000,
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("already an administrator");
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query(`SELECT role FROM "User" WHERE email = $1`, ["ops@example.com"]);
    const audit = await db.query(
      `SELECT count(*)::int AS n FROM "AuditEvent" WHERE action = 'admin.administrator_created'`,
    );
    await db.end();
    expect(rows).toEqual([{ role: "ADMIN" }]);
    expect(audit.rows[0].n).toBe(1);
  });

  // The dashboard page of the signed-up account, kept for the revocation below.
  let page: Page;
  let liveKey = "";
  let doomedKey = "";
  // Generates a key in the dashboard's dialog and returns its secret (shown once).
  async function generateKey(name: string): Promise<string> {
    await page.goto(`${orgPath}/keys`);
    await page.getByRole("button", { name: "Generate key" }).click();
    const dialog = page.getByRole("dialog", { name: "Generate API key" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Generate" }).click();
    const secret = await page.getByLabel("Your new API key").inputValue();
    await page.getByRole("button", { name: "Done" }).click();
    return secret;
  }
  let orgPath = "";

  it("an account signs up and generates keys through the dashboard (via Caddy)", async () => {
    page = await browser!.newPage({ baseURL: `http://127.0.0.1:${ports.http}` });
    page.setDefaultTimeout(60_000);
    await page.goto("/signup");
    await page.getByLabel("Email").fill("dev@example.com");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/dashboard\/[a-z0-9-]+$/);
    orgPath = new URL(page.url()).pathname;
    liveKey = await generateKey("stack");
    doomedKey = await generateKey("doomed");
    expect(liveKey).toMatch(/^kh_(live|test)_[0-9A-Za-z]{38}$/);
    expect(doomedKey).toMatch(/^kh_(live|test)_[0-9A-Za-z]{38}$/);
  });

  it("the keys verify through both API replicas; a revocation on another instance is refused by both within 1 s", async () => {
    const auth = (key: string) => ({ headers: { Authorization: `Bearer ${key}` } });
    const replicas = [`http://127.0.0.1:${ports.api1}`, `http://127.0.0.1:${ports.api2}`];
    // Each replica answers (and caches) both keys.
    for (const base of replicas)
      for (const key of [liveKey, doomedKey])
        expect((await fetchWithin(`${base}/api/v1/whoami`, auth(key))).status).toBe(200);

    // Revoked in the dashboard: the web process, not either replica, so only the cross-instance invalidation can tell them.
    await page.goto(`${orgPath}/keys`);
    await page.getByRole("row").filter({ hasText: "doomed" }).getByRole("link", { name: "doomed" }).click();
    await page.getByRole("button", { name: "Revoke key" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke “doomed”?" });
    await confirm.getByRole("button", { name: "Yes, revoke" }).click();
    await confirm.waitFor({ state: "hidden" });
    const at = Date.now();
    const refusedAfter: number[] = [];
    for (const base of replicas) {
      let status = 200;
      while (Date.now() - at < 1000) {
        status = (await fetchWithin(`${base}/api/v1/whoami`, auth(doomedKey))).status;
        if (status === 401) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(status, base).toBe(401);
      refusedAfter.push(Date.now() - at);
    }
    expect(Math.max(...refusedAfter)).toBeLessThan(1000);
    // The other key is untouched on both.
    for (const base of replicas) expect((await fetchWithin(`${base}/api/v1/whoami`, auth(liveKey))).status).toBe(200);
  });

  it("docker stop of an API replica under load through Caddy cuts 0 requests, and the replica exits cleanly", async () => {
    const url = `http://127.0.0.1:${ports.http}/api/v1/whoami`;
    const failures: string[] = [];
    let answered = 0;
    let stopping = true;
    const worker = async () => {
      while (stopping) {
        try {
          const r = await fetchWithin(url, { headers: { Authorization: `Bearer ${liveKey}` } }, 10_000);
          await r.arrayBuffer();
          // 429 is Keyhold's own answer (the key's rate limit under this load); a cut is an error or a proxy's 5xx.
          if (r.status === 200 || r.status === 429) answered++;
          else failures.push(`status ${r.status}`);
        } catch (err) {
          failures.push(String(err));
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await new Promise((r) => setTimeout(r, 2000));
    const before = answered;
    const id = await containerOf("api-2");
    const stoppedAt = Date.now();
    await must("docker", ["stop", "-t", "30", id], { timeoutMs: 60_000 });
    const stopMs = Date.now() - stoppedAt;
    await new Promise((r) => setTimeout(r, 2000));
    stopping = false;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(answered - before).toBeGreaterThan(50);
    // Exit 0 from its own drain, not 137 from SIGKILL after the grace period: tini passed SIGTERM on.
    expect((await must("docker", ["inspect", "-f", "{{.State.ExitCode}}", id])).trim()).toBe("0");
    expect(stopMs).toBeLessThan(30_000);
    console.log(`docker stop under load: ${answered} answered, 0 failed, stop took ${stopMs} ms`);
  });
});
