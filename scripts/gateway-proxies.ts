// Real reverse proxies for the forward-authentication tests (tests/gateway/) and `npm run bench:gateway`: Debian's
// nginx and caddy, each run with its own configuration generated from the contrib/ templates (or, `direct`, a plain
// proxy to the upstream for comparison), on a free 127.0.0.1 port, in a temporary folder.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

const root = path.resolve(import.meta.dirname, "..");

export type ProxyKind = "nginx" | "caddy";
export type Proxy = { kind: ProxyKind; base: string; child: ChildProcess; log: string[]; dir: string };
export type ProxyTargets = { keyhold: string; upstream: string; serviceToken: string };

// Whether the proxy's binary is installed (nginx: with the auth_request module).
export function proxyInstalled(kind: ProxyKind): boolean {
  const probe = spawnSync(kind, kind === "nginx" ? ["-V"] : ["version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return false;
  return kind === "caddy" || `${probe.stdout}${probe.stderr}`.includes("http_auth_request_module");
}

// A plain nginx proxy to the upstream with a keep-alive pool (the benchmark's baseline).
const NGINX_DIRECT = `upstream direct_api {
    server \${UPSTREAM_ADDR};
    keepalive 64;
}
server {
    listen \${LISTEN};
    location / {
        proxy_pass http://direct_api;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
    }
}
`;

const CADDY_DIRECT = `{$SITE_ADDRESS} {
\treverse_proxy {$UPSTREAM_ADDR}
}
`;

// contrib/nginx/keyhold.conf.template (or the direct proxy) with its variables filled in, inside a minimal nginx.conf.
function nginxConfig(dir: string, listen: string, t: ProxyTargets, direct: boolean): string {
  const template = direct ? NGINX_DIRECT : readFileSync(path.join(root, "contrib/nginx/keyhold.conf.template"), "utf8");
  const site = template
    .replaceAll("${LISTEN}", listen)
    .replaceAll("${KEYHOLD_ADDR}", t.keyhold)
    .replaceAll("${UPSTREAM_ADDR}", t.upstream)
    .replaceAll("${KEYHOLD_SERVICE_TOKEN}", t.serviceToken);
  writeFileSync(path.join(dir, "keyhold.conf"), site);
  const asRoot = process.getuid?.() === 0 ? "user root;\n" : "";
  return `${asRoot}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/keyhold.conf;
}
`;
}

// Global options for a test run (no admin endpoint, no HTTPS) before contrib/caddy/Caddyfile (or the direct proxy).
function caddyConfig(dir: string, direct: boolean): string {
  return `{
\tadmin off
\tauto_https off
\tstorage file_system ${dir}/data
}
${direct ? CADDY_DIRECT : readFileSync(path.join(root, "contrib/caddy/Caddyfile"), "utf8")}`;
}

// Starts a proxy in front of Keyhold and the upstream (`direct`: the upstream alone); resolves once it answers (≤ 30 s).
export async function startProxy(kind: ProxyKind, targets: ProxyTargets, { direct = false } = {}): Promise<Proxy> {
  const dir = mkdtempSync(path.join(tmpdir(), `keyhold-${kind}-`));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const listen = `127.0.0.1:${port}`;
  let child: ChildProcess;
  if (kind === "nginx") {
    writeFileSync(path.join(dir, "nginx.conf"), nginxConfig(dir, listen, targets, direct));
    child = spawn("nginx", ["-p", dir, "-e", path.join(dir, "error.log"), "-c", path.join(dir, "nginx.conf")], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } else {
    writeFileSync(path.join(dir, "Caddyfile"), caddyConfig(dir, direct));
    child = spawn("caddy", ["run", "--config", path.join(dir, "Caddyfile"), "--adapter", "caddyfile"], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        HOME: dir,
        XDG_DATA_HOME: dir,
        XDG_CONFIG_HOME: dir,
        SITE_ADDRESS: `http://${listen}`,
        KEYHOLD_ADDR: targets.keyhold,
        UPSTREAM_ADDR: targets.upstream,
        KEYHOLD_SERVICE_TOKEN: targets.serviceToken,
      },
    });
  }
  const log: string[] = [];
  child.stdout?.on("data", (d: Buffer) => log.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => log.push(d.toString()));
  const proxy = { kind, base: `http://${listen}`, child, log, dir };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      await fetch(`${proxy.base}/`, { signal: AbortSignal.timeout(2000) });
      return proxy;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stopProxy(proxy);
  const errors = kind === "nginx" ? safeRead(path.join(dir, "error.log")) : "";
  throw new Error(`${kind} did not start: ${log.join("")}${errors}`);
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

// Stops a proxy (its whole process group) and removes its folder; resolves once it exited (SIGKILL after 5 s).
export async function stopProxy(proxy: Proxy): Promise<void> {
  const { child } = proxy;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(killer);
  }
  rmSync(proxy.dir, { recursive: true, force: true });
}
