// Every environment variable Keyhold reads, parsed once with zod; nothing else reads process.env.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const postgresUrl = optionalString.refine(
  (v) => v === undefined || /^postgres(ql)?:\/\//.test(v),
  "must be a postgresql:// connection URL",
);

const intInRange = (min: number, max: number, fallback: number) =>
  optionalString
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .refine((n) => Number.isInteger(n) && n >= min && n <= max, `must be an integer from ${min} to ${max}`);

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl,
  DATA_DIR: optionalString,
  NEXTAUTH_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, "must be at least 32 characters"),
  NEXTAUTH_URL: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), "must be an http(s) URL"),
  MFA_ENCRYPTION_KEY: optionalString.refine(
    (v) => v === undefined || /^[0-9a-fA-F]{64}$/.test(v),
    "must be 64 hex characters (32 bytes)",
  ),
  KEYHOLD_SERVICE_TOKEN: optionalString.refine(
    (v) => v === undefined || v.length >= 16,
    "must be at least 16 characters",
  ),
  METRICS_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, "must be at least 16 characters"),
  TRUST_PROXY: optionalString.refine(
    (v) => v === undefined || /^(false|\d+|[0-9a-fA-F.:/,\s]+)$/.test(v),
    "must be false, a hop count, or comma-separated proxy addresses/CIDR ranges",
  ),
  // Where /api/v1/authorize looks for the customer's key, in order (authorization: a Bearer token; others: the value).
  FORWARD_AUTH_KEY_HEADERS: optionalString
    .transform((v) => (v ?? "authorization,x-api-key").split(",").map((h) => h.trim().toLowerCase()))
    .refine(
      (list) => list.length > 0 && list.every((h) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(h)),
      "must be a comma-separated list of header names",
    ),
  PORT: intInRange(1, 65535, 3000),
  HOSTNAME: optionalString,
  // How long SIGTERM/SIGINT lets requests in flight finish before their connections are cut.
  SHUTDOWN_DEADLINE_MS: intInRange(0, 600_000, 10_000),
  RATE_LIMIT_STORE: z.enum(["memory", "postgres", "redis"]).default("memory"),
  REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\//.test(v), "must be a redis:// URL"),
  KEY_CACHE_TTL_MS: intInRange(0, 5000, 5000),
  USAGE_RETENTION_DAYS: intInRange(1, 3650, 30),
  // Days audit events are kept (every action, failed sign-ins included); unset: kept forever.
  AUDIT_RETENTION_DAYS: optionalString
    .transform((v) => (v === undefined ? null : Number(v)))
    .refine((n) => n === null || (Number.isInteger(n) && n >= 1 && n <= 36500), "must be an integer from 1 to 36500"),
  SIGNUP_RATE_LIMIT_PER_HOUR: intInRange(1, 100_000, 10),
  SIGNIN_RATE_LIMIT_PER_MINUTE: intInRange(1, 100_000, 30),
  // Invitations one organization may send per hour, and invitation mails one address may receive per day.
  INVITATIONS_PER_ORGANIZATION_PER_HOUR: intInRange(1, 100_000, 20),
  INVITATION_MAILS_PER_ADDRESS_PER_DAY: intInRange(1, 1000, 3),
  SMTP_URL: optionalString.refine(
    (v) => v === undefined || /^smtps?:\/\//.test(v),
    "must be an smtp:// or smtps:// URL",
  ),
  // Notification mails (key expiry, request digest and decisions) one address may receive per hour; more are dropped.
  MAIL_PER_ADDRESS_PER_HOUR: intInRange(1, 10_000, 20),
  MAIL_FROM: optionalString.transform((v) => v ?? "Keyhold <no-reply@localhost>"),
  // GitHub's secret scanning public keys ({public_keys: [...]}, as its API answers) from a file instead of its API.
  GITHUB_SECRET_SCANNING_KEYS_FILE: optionalString.refine((v) => v === undefined || existsSync(v), "file not found"),
  // Lets webhooks reach private, loopback and link-local addresses, over http too (a receiver on the same network).
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: optionalString
    .refine((v) => v === undefined || v === "true" || v === "false", "must be true or false")
    .transform((v) => v === "true"),
  // Refuses self sign-up: accounts come only from invitations, SSO (an approved domain's JIT join) or the administrator.
  AUTH_DISABLE_SIGNUP: optionalString
    .refine((v) => v === undefined || v === "true" || v === "false", "must be true or false")
    .transform((v) => v === "true"),
  // Seconds an SSO session lasts before its user signs in through the identity provider again (default 8 hours).
  SSO_SESSION_MAX_AGE: intInRange(60, 12 * 60 * 60, 8 * 60 * 60),
  BENCH_PG_URL: postgresUrl,
  TEST_DATABASE_URL: postgresUrl,
  CHROMIUM_PATH: optionalString,
  // Set by CI systems: tests that need a tool (nginx, caddy) fail instead of skipping when it is missing.
  CI: optionalString.transform((v) => v === "true" || v === "1"),
  E2E_PORT: intInRange(1, 65535, 3100),
  KEYHOLD_TEST_DB: z.enum(["pglite", "postgres"]).default("pglite"),
});

// One OpenID Connect identity provider: OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME, or the same with a
// numbered suffix (_2, _3, …) for more. `id` is next-auth's provider id ("oidc", "oidc-2", …).
export type OidcProviderConfig = { id: string; issuer: string; clientId: string; clientSecret: string; name: string };

export type Env = z.infer<typeof schema> & { dataDir: string; authSecret: string; oidcProviders: OidcProviderConfig[] };

const oidcSchema = z.object({
  issuer: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).transform((v) => v.replace(/\/+$/, "")),
  clientId: z.string({ error: "is required with its OIDC_ISSUER" }).trim().min(1, "is required with its OIDC_ISSUER"),
  clientSecret: z
    .string({ error: "is required with its OIDC_ISSUER" })
    .trim()
    .min(1, "is required with its OIDC_ISSUER"),
  name: z.string().trim().max(60, "must be at most 60 characters").optional(),
});

const OIDC_FIELDS = {
  issuer: "OIDC_ISSUER",
  clientId: "OIDC_CLIENT_ID",
  clientSecret: "OIDC_CLIENT_SECRET",
  name: "OIDC_NAME",
};

// The identity providers configured by OIDC_* variables, in suffix order; errors name the variable at fault.
export function parseOidcProviders(source: NodeJS.ProcessEnv): { providers: OidcProviderConfig[]; errors: string[] } {
  const suffixes = new Set<string>();
  for (const name of Object.keys(source)) {
    const match = /^OIDC_(?:ISSUER|CLIENT_ID|CLIENT_SECRET|NAME)(_\d+)?$/.exec(name);
    if (match && source[name]?.trim()) suffixes.add(match[1] ?? "");
  }
  const ordered = [...suffixes].sort((a, b) => Number(a.slice(1) || 1) - Number(b.slice(1) || 1));
  const providers: OidcProviderConfig[] = [];
  const errors: string[] = [];
  for (const suffix of ordered) {
    const raw = Object.fromEntries(
      Object.entries(OIDC_FIELDS).map(([field, variable]) => [field, source[variable + suffix]?.trim() || undefined]),
    );
    const result = oidcSchema.safeParse({ ...raw, issuer: raw.issuer ?? "" });
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path[0] as keyof typeof OIDC_FIELDS;
        errors.push(
          `  ${OIDC_FIELDS[field]}${suffix}: ${field === "issuer" && !raw.issuer ? "is required" : issue.message}`,
        );
      }
      continue;
    }
    const { issuer, clientId, clientSecret, name } = result.data;
    const id = suffix === "" || suffix === "_1" ? "oidc" : `oidc-${suffix.slice(1)}`;
    if (providers.some((p) => p.id === id)) errors.push(`  OIDC_ISSUER${suffix}: duplicates OIDC_ISSUER`);
    else providers.push({ id, issuer, clientId, clientSecret, name: name ?? new URL(issuer).host });
  }
  return { providers, errors };
}

// Reads or creates the development auth secret kept in the data folder, so a first start needs no setup.
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, ".auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

// Parses process.env; an invalid value stops start-up with a message naming the variable.
export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  const parsed = result.data;
  const oidc = parseOidcProviders(source);
  if (oidc.errors.length > 0) throw new Error(`Invalid environment configuration:\n${oidc.errors.join("\n")}`);
  const dataDir = path.resolve(parsed.DATA_DIR ?? "data");
  let authSecret = parsed.NEXTAUTH_SECRET;
  if (!authSecret) {
    if (parsed.NODE_ENV === "production") {
      throw new Error("Invalid environment configuration:\n  NEXTAUTH_SECRET: is required in production");
    }
    authSecret = developmentSecret(dataDir);
  }
  if (parsed.RATE_LIMIT_STORE === "postgres" && !parsed.DATABASE_URL) {
    throw new Error(
      "Invalid environment configuration:\n  RATE_LIMIT_STORE: postgres needs DATABASE_URL (a PostgreSQL server)",
    );
  }
  if (parsed.RATE_LIMIT_STORE === "redis" && !parsed.REDIS_URL) {
    throw new Error("Invalid environment configuration:\n  RATE_LIMIT_STORE: redis needs REDIS_URL");
  }
  return { ...parsed, dataDir, authSecret, oidcProviders: oidc.providers };
}

let cached: Env | undefined;

// The parsed environment, computed on first use.
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
