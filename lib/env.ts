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
  BENCH_PG_URL: postgresUrl,
  TEST_DATABASE_URL: postgresUrl,
  CHROMIUM_PATH: optionalString,
  // Set by CI systems: tests that need a tool (nginx, caddy) fail instead of skipping when it is missing.
  CI: optionalString.transform((v) => v === "true" || v === "1"),
  E2E_PORT: intInRange(1, 65535, 3100),
  KEYHOLD_TEST_DB: z.enum(["pglite", "postgres"]).default("pglite"),
});

export type Env = z.infer<typeof schema> & { dataDir: string; authSecret: string };

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
  return { ...parsed, dataDir, authSecret };
}

let cached: Env | undefined;

// The parsed environment, computed on first use.
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
