// Malformed input sent to every route handler under app/, every route of the API app and every server action under
// lib/actions, all discovered (the file system, the app's route table) so routes and actions added later are covered without touching this file. Nothing may answer
// 5xx, return a result whose code is a 5xx, or throw anything but Next's redirect/notFound control flow. Handlers,
// actions, session decoding and database are real; only Next's request context (cookies, headers, revalidation) is
// supplied by the test.
process.env.KEYHOLD_SERVICE_TOKEN = "fuzz-service-token-0123456789";
process.env.METRICS_TOKEN = "fuzz-service-token-0123456789";

import { readdirSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { apiRoutes, app } from "@/lib/api/app";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ERROR_CODES, type ErrorCode } from "@/lib/errors";
import { createAccount } from "@/lib/auth/accounts";
import { sessionCookieName } from "@/lib/auth/options";
import { env } from "@/lib/env";
import { createUser, makeKey } from "../helpers/keys";
import { withTestDb } from "../helpers/db";

const request = vi.hoisted(() => {
  // What Next's server sets up at start, before its request storage modules load.
  const g = globalThis as { AsyncLocalStorage?: unknown };
  g.AsyncLocalStorage ??= process.getBuiltinModule("node:async_hooks").AsyncLocalStorage;
  return { cookie: "" };
});

vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) =>
      name === sessionCookieName() && request.cookie ? { name, value: request.cookie } : undefined,
    getAll: () => (request.cookie ? [{ name: sessionCookieName(), value: request.cookie }] : []),
    has: (name: string) => name === sessionCookieName() && !!request.cookie,
    set: () => {},
    delete: () => {},
  }),
  headers: async () => new Headers({}),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const ROOT = path.resolve(import.meta.dirname, "../..");
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const NOT_ACTIONS = new Set(["result.ts", "define-action.ts"]);

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Segment = { kind: "static"; text: string } | { kind: "param"; name: string; catchAll: boolean };
type RouteTarget = { label: string; page: string; method: string; handler: Handler; segments: Segment[] };
type ActionFn = (...args: unknown[]) => Promise<unknown>;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

// Every app/**/route.ts with its URL segments ((group) folders dropped, [param] and [...param] kept as parameters), and
// every route of the API app.
async function discoverRoutes(): Promise<RouteTarget[]> {
  const files = walk(path.join(ROOT, "app"))
    .filter((f) => path.basename(f) === "route.ts")
    .sort();
  const targets: RouteTarget[] = [];
  for (const file of files) {
    const dirs = path
      .relative(path.join(ROOT, "app"), path.dirname(file))
      .split(path.sep)
      .filter((d) => d && !/^\(.*\)$/.test(d));
    const segments: Segment[] = dirs.map((d) => {
      const m = /^\[{1,2}(\.\.\.)?([^\]]+)\]{1,2}$/.exec(d);
      return m ? { kind: "param", name: m[2], catchAll: !!m[1] } : { kind: "static", text: d };
    });
    const mod = (await import(file)) as Record<string, unknown>;
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function")
        targets.push({
          label: `${method} /${dirs.join("/")}`,
          page: `/${path.relative(path.join(ROOT, "app"), file).replace(/\.ts$/, "")}`,
          method,
          handler: mod[method] as Handler,
          segments,
        });
    }
  }
  // Every route of the API app (lib/api/app.ts), which serves /api/v1/**, /api/health and /api/metrics outside Next.js.
  for (const { method, path: routePath } of apiRoutes()) {
    const segments: Segment[] = routePath
      .split("/")
      .filter(Boolean)
      .map((part) =>
        /^\{\w+\}$/.test(part)
          ? { kind: "param", name: part.slice(1, -1), catchAll: false }
          : { kind: "static", text: part },
      );
    targets.push({
      label: `${method} ${routePath}`,
      page: routePath,
      method,
      handler: async (req) => app.fetch(req),
      segments,
    });
  }
  return targets;
}

// Every exported function of every lib/actions module but the two that build actions.
async function discoverActions(): Promise<{ label: string; action: ActionFn }[]> {
  const files = readdirSync(path.join(ROOT, "lib/actions"))
    .filter((f) => f.endsWith(".ts") && !NOT_ACTIONS.has(f))
    .sort();
  const out: { label: string; action: ActionFn }[] = [];
  for (const file of files) {
    const mod = (await import(path.join(ROOT, "lib/actions", file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod))
      if (typeof value === "function") out.push({ label: `${file}:${name}`, action: value as ActionFn });
  }
  return out;
}

// Next's request storage as next-auth loads it (from the real node_modules path, so the same module instance).
const nextRequire = createRequire(realpathSync(path.join(ROOT, "node_modules/next-auth/index.js")));
const { createRequestStoreForAPI } = nextRequire(
  "next/dist/server/async-storage/request-store",
) as typeof import("next/dist/server/async-storage/request-store");
const { workUnitAsyncStorage } = nextRequire(
  "next/dist/server/app-render/work-unit-async-storage.external",
) as typeof import("next/dist/server/app-render/work-unit-async-storage.external");
const { createWorkStore } = nextRequire(
  "next/dist/server/async-storage/work-store",
) as typeof import("next/dist/server/async-storage/work-store");
const { workAsyncStorage } = nextRequire(
  "next/dist/server/app-render/work-async-storage.external",
) as typeof import("next/dist/server/app-render/work-async-storage.external");

const routes = await discoverRoutes();
const actions = await discoverActions();

// ---- the corpus ----

const MB = "x".repeat(1 << 20);
const STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "a\udc00b",
  "\ufffd",
  "%ff",
  "%00",
  "%",
  "%E0%A4%A",
  "US/Pacific-New",
  "Canada/East-Saskatchewan",
  "Not/A_Zone",
  "\t\r\n",
  "../../etc/passwd",
  "' OR 1=1 --",
  "<script>alert(1)</script>",
  "__proto__",
  "constructor",
  "null",
  "-1",
  "1e309",
  "9".repeat(400),
  "2026-02-30T25:61:00Z",
  MB,
];
let deep: unknown = [];
for (let i = 0; i < 1000; i++) deep = [deep];
const VALUES: unknown[] = [
  ...STRINGS,
  0,
  -1,
  1.5,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  null,
  true,
  false,
  [],
  {},
  ["\u0000"],
  new Array(100_000).fill("read"),
  deep,
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}'),
];
const RAW_BODIES = [
  "",
  " ",
  "{",
  "[1,",
  '{"a":}',
  "nul\u0000l",
  "\ufeff{}",
  '{"name": "\\u0000"}',
  '{"name": "\\ud800"}',
  "[".repeat(10_000) + "]".repeat(10_000),
  "[" + "0,".repeat(100_000) + "0]",
  `"${MB}"`,
  ...VALUES.map((v) => JSON.stringify(v)),
];
// Query parameters any route might read; each is fuzzed on top of a day-interval query so a zone reaches the database.
const QUERY_NAMES = [
  "range",
  "from",
  "to",
  "interval",
  "keyId",
  "tz",
  "cursor",
  "limit",
  "q",
  "next",
  "callbackUrl",
  "error",
];
const BASE_QUERY = { range: "30d", interval: "day" };

// ---- the world the calls run in ----

const db = withTestDb();
const password = "a long enough password";
let adminId = "";
let victimId = "";
let adminOrg = { id: "", slug: "" };
let victimOrgId = "";
let candidates: () => Promise<Record<string, unknown>>;

beforeAll(async () => {
  const admin = await createAccount({ email: "fuzz-admin@example.com", password, confirmPassword: password }, null);
  adminId = admin.id;
  await db.current.client.user.update({ where: { id: adminId }, data: { role: "ADMIN" } });
  adminOrg = await db.current.client.organization.update({
    where: { id: admin.lastOrganizationId! },
    data: { plan: "ENTERPRISE" },
  });
  const victim = await createUser("fuzz-victim");
  victimId = victim.id;
  victimOrgId = victim.organization.id;
  request.cookie = await encode({ token: { sub: adminId, mfa: "verified" }, secret: env().authSecret });
  // Valid values for every field name an input is known to take, with fresh keys per target so one target's revocation
  // or rotation does not change what the next one sees; the caller's own key is never among them.
  let n = 0;
  candidates = async () => ({
    name: `fuzz-base-${++n}`,
    environment: "test",
    scopes: ["read"],
    expiresAt: null,
    ipAllowlist: [],
    rateLimit: null,
    gracePeriodSeconds: 0,
    id: (await makeKey(adminId, ["read"])).key.id,
    keyId: (await makeKey(victimId, ["read"])).key.id,
    key: (await makeKey(adminId, ["read"])).secret,
    userId: victimId,
    org: adminOrg.slug,
    organizationId: victimOrgId,
    plan: "PRO",
    suspended: false,
    scope: "read",
    ip: "127.0.0.1",
    q: "fuzz",
    method: "totp",
    code: "123456",
    password,
    confirmPassword: password,
    email: `fuzz-new-${n}@example.com`,
    next: "/dashboard",
  });
});

const short = (v: unknown) => {
  const s =
    typeof v === "string"
      ? JSON.stringify(v)
      : v === undefined
        ? "undefined"
        : (JSON.stringify(v, (_k, x) => (Array.isArray(x) && x.length > 3 ? `[${x.length} items]` : x)) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 60)}…(${s.length})` : s;
};

// Next's redirect() and notFound() are control flow, not failures.
function isNextControlFlow(err: unknown): boolean {
  const digest = (err as { digest?: unknown } | null)?.digest;
  return (
    typeof digest === "string" &&
    (digest.startsWith("NEXT_REDIRECT;") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK;"))
  );
}

const unknownFields = (messages: string[]) =>
  messages.flatMap((m) => /Unknown field: (.+)$/.exec(m)?.[1].split(", ") ?? []);

// The candidate fields an input accepts: unknown ones (strict schemas name them) dropped, ones that a junk value leaves
// unremarked (non-strict schemas strip them) not fuzzed.
async function baseInput(
  try_: (input: Record<string, unknown>) => Promise<string[]>,
): Promise<{ base: Record<string, unknown>; fields: string[] }> {
  const base = await candidates();
  for (let i = 0; i < 10; i++) {
    const unknown = unknownFields(await try_(base));
    if (unknown.length === 0) break;
    for (const f of unknown) delete base[f];
  }
  const fields: string[] = [];
  for (const f of Object.keys(base)) {
    const messages = await try_({ ...base, [f]: { junk: true } });
    if (messages.some((m) => m.startsWith(`${f}:`) || m.startsWith(`${f}.`) || m === `field:${f}`)) fields.push(f);
  }
  return { base, fields };
}

// ---- route handlers ----

function urlFor(target: RouteTarget, params: Record<string, string | string[]>, query: Record<string, string> = {}) {
  const parts = target.segments.map((s) => {
    if (s.kind === "static") return s.text;
    const v = params[s.name];
    return (Array.isArray(v) ? v : [v]).map((x) => encodeURIComponent(x.toWellFormed())).join("/");
  });
  return `http://localhost/${parts.join("/")}?${new URLSearchParams(query)}`;
}

function paramsWith(
  target: RouteTarget,
  value: string | ((name: string) => string),
): Record<string, string | string[]> {
  return Object.fromEntries(
    target.segments.flatMap((s) => {
      if (s.kind !== "param") return [];
      const v = typeof value === "function" ? value(s.name) : value;
      return [[s.name, s.catchAll ? [v] : v]];
    }),
  );
}

async function call(
  target: RouteTarget,
  credential: Record<string, string>,
  params: Record<string, string | string[]>,
  opts: { query?: Record<string, string>; body?: string } = {},
) {
  const hasBody = opts.body !== undefined && target.method !== "GET" && target.method !== "HEAD";
  // Next hands route handlers a NextRequest (next-auth reads its nextUrl).
  const url = urlFor(target, params, opts.query);
  const req = new NextRequest(url, {
    method: target.method,
    headers: {
      ...credential,
      cookie: `${sessionCookieName()}=${request.cookie}`,
      ...(hasBody ? { "content-type": "application/json" } : {}),
    },
    body: hasBody ? opts.body : undefined,
  });
  // Modules that load next/headers with require() (next-auth) are not reached by vi.mock: they read Next's own request
  // store, which Next sets up around every route handler as here.
  const requestStore = createRequestStoreForAPI(
    req,
    { pathname: new URL(url).pathname, search: new URL(url).search },
    undefined as never,
    () => {},
    undefined,
    undefined,
  );
  const workStore = createWorkStore({
    page: target.page,
    renderOpts: { experimental: {}, onClose: () => {}, waitUntil: () => {} } as never,
    isPrefetchRequest: false,
    buildId: "test",
    previouslyRevalidatedTags: [],
  } as never);
  return workAsyncStorage.run(workStore, () =>
    workUnitAsyncStorage.run(requestStore, () => target.handler(req, { params: Promise.resolve(params) })),
  );
}

describe.each(routes.map((r) => [r.label, r] as const))("%s", (_label, target) => {
  it("answers malformed input with a status below 500", { timeout: 60_000 }, async () => {
    const failures: string[] = [];
    const check = async (what: string, run: () => Promise<Response>) => {
      try {
        const res = await run();
        // An event stream never ends by itself: its status is the answer.
        if (res.headers.get("content-type")?.startsWith("text/event-stream")) await res.body?.cancel();
        else await res.arrayBuffer();
        if (res.status >= 500) failures.push(`${what} → ${res.status}`);
      } catch (err) {
        if (!isNextControlFlow(err))
          failures.push(`${what} threw ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
      }
    };
    const world = await candidates();
    // Each parameter's valid value by its name ([org]: the caller's organization), else a key id of the caller's.
    const validParams = paramsWith(target, (name) => String(world[name] ?? world.id));
    // The credential this route takes: an API key (a fresh one, so rate limits stay per target) or the service token.
    const apiKey = { authorization: `Bearer ${(await makeKey(adminId, ["admin"])).secret}` };
    const service = { authorization: `Bearer ${env().KEYHOLD_SERVICE_TOKEN}` };
    const probe = await call(target, apiKey, validParams);
    await probe.body?.cancel();
    const credential = probe.status === 401 ? service : apiKey;

    for (const value of STRINGS) {
      if (target.segments.some((s) => s.kind === "param"))
        await check(`param ${short(value)}`, () => call(target, credential, paramsWith(target, value), { body: "{}" }));
      if (target.method === "GET") {
        for (const name of QUERY_NAMES)
          await check(`?${name}=${short(value)}`, () =>
            call(target, credential, validParams, { query: { ...BASE_QUERY, [name]: value } }),
          );
      }
    }
    if (target.method !== "GET" && target.method !== "HEAD") {
      for (const body of RAW_BODIES)
        await check(`body ${short(body)}`, () => call(target, credential, validParams, { body }));
      const messages = async (input: Record<string, unknown>) => {
        const res = await call(target, credential, validParams, { body: JSON.stringify(input) });
        const text = await res.text();
        const message = /^\{/.test(text)
          ? ((JSON.parse(text) as { error?: { message?: string } }).error?.message ?? "")
          : "";
        return [message];
      };
      const { base, fields } = await baseInput(messages);
      for (const field of fields) {
        for (const value of VALUES)
          await check(`{${field}: ${short(value)}}`, () =>
            call(target, credential, validParams, { body: JSON.stringify({ ...base, [field]: value }) }),
          );
      }
    }
    expect({} as Record<string, unknown>).not.toHaveProperty("polluted");
    expect(failures).toEqual([]);
  });
});

// ---- server actions ----

function formOf(input: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(input)) {
    for (const v of Array.isArray(value) ? value : [value])
      if (v !== null && v !== undefined && typeof v !== "object") form.append(name, String(v));
  }
  return form;
}

describe.each(actions.map((a) => [a.label, a.action] as const))("%s", (_label, action) => {
  it("answers malformed input with a 4xx result", { timeout: 60_000 }, async () => {
    const failures: string[] = [];
    const check = async (what: string, run: () => Promise<unknown>) => {
      try {
        const result = (await run()) as { ok?: boolean; code?: ErrorCode } | undefined;
        if (result && result.ok === false && (ERROR_CODES[result.code!] ?? 500) >= 500)
          failures.push(`${what} → ${result.code}`);
      } catch (err) {
        if (!isNextControlFlow(err))
          failures.push(`${what} threw ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
      }
    };
    const messages = async (input: Record<string, unknown>) => {
      try {
        const result = (await action(input)) as { fieldErrors?: Record<string, string> };
        return Object.entries(result?.fieldErrors ?? {}).flatMap(([field, message]) => [
          message,
          `field:${field.split(".")[0]}`,
        ]);
      } catch {
        return [];
      }
    };

    const names = Object.keys(await candidates());
    for (const value of VALUES) {
      await check(`(${short(value)})`, () => action(value));
      if (typeof value === "string")
        await check(`(null, form with every candidate field = ${short(value)})`, () =>
          action(null, formOf(Object.fromEntries(names.map((k) => [k, value])))),
        );
    }
    await check("()", () => action());
    await check("(null, empty form)", () => action(null, new FormData()));

    const { base, fields } = await baseInput(messages);
    for (const field of fields) {
      for (const value of VALUES) await check(`{${field}: ${short(value)}}`, () => action({ ...base, [field]: value }));
      for (const value of STRINGS)
        await check(`(null, form ${field}=${short(value)})`, () => action(null, formOf({ ...base, [field]: value })));
    }
    expect({} as Record<string, unknown>).not.toHaveProperty("polluted");
    expect(failures).toEqual([]);
  });
});

it("discovers the routes and actions", () => {
  expect(routes.map((r) => r.label)).toEqual(
    expect.arrayContaining([
      "POST /api/v1/keys",
      "GET /api/v1/whoami",
      "POST /api/v1/verify",
      "GET /dashboard/[org]/usage/export",
    ]),
  );
  expect(actions.map((a) => a.label)).toEqual(
    expect.arrayContaining(["keys.ts:generateKeyAction", "admin.ts:changePlanAction", "auth.ts:signUpAction"]),
  );
});
