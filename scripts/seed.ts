// Demo data: an administrator and a user, a handful of keys, and 30 days of realistic usage written through the usage batch writer.
import { createAccount } from "../lib/auth/accounts";
import { db } from "../lib/db";
import type { KeyEnvironment, Scope } from "../lib/generated/prisma/client";
import { generateKey } from "../lib/keys/format";
import { hashKey } from "../lib/keys/hash";
import { UsageRecorder } from "../lib/usage/recorder";

export const DEMO_PASSWORD = "keyhold-demo-password";
const DAY = 86_400_000;
const HOUR = 3_600_000;

interface DemoKey {
  name: string;
  environment: KeyEnvironment;
  scopes: Scope[];
  perHour: number;
  revokedDaysAgo?: number;
}

const accounts: { email: string; role: "ADMIN" | "USER"; plan: "FREE" | "PRO" | "ENTERPRISE"; keys: DemoKey[] }[] = [
  {
    email: "admin@keyhold.dev",
    role: "ADMIN",
    plan: "ENTERPRISE",
    keys: [{ name: "Ops dashboard", environment: "live", scopes: ["read"], perHour: 12 }],
  },
  {
    email: "demo@keyhold.dev",
    role: "USER",
    plan: "PRO",
    keys: [
      { name: "Production backend", environment: "live", scopes: ["read", "write"], perHour: 90 },
      { name: "Analytics worker", environment: "live", scopes: ["read"], perHour: 35 },
      { name: "Staging", environment: "test", scopes: ["read", "write", "admin"], perHour: 8 },
      { name: "Old mobile app", environment: "live", scopes: ["read"], perHour: 15, revokedDaysAgo: 9 },
    ],
  },
];

const routes = [
  ["GET", "/api/v1/whoami"],
  ["GET", "/api/v1/keys"],
  ["POST", "/api/v1/verify"],
  ["GET", "/api/v1/usage"],
  ["POST", "/api/v1/keys"],
] as const;

// Share of each rejection among a live key's requests (the rest are valid).
const rejections: [string, number, number][] = [
  ["rate_limited", 0.015, 429],
  ["insufficient_scope", 0.006, 403],
  ["ip_not_allowed", 0.004, 403],
  ["expired_key", 0.002, 401],
  ["client_id_mismatch", 0.001, 403],
];

// Daily rhythm (quiet at night UTC, busiest mid-afternoon) and quieter weekends.
function loadFactor(ms: number): number {
  const d = new Date(ms);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const daily = 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) ** 1.5;
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.45 : 1;
  return daily * weekend;
}

function pickOutcome(): [string, number] {
  let r = Math.random();
  for (const [outcome, share, status] of rejections) {
    if (r < share) return [outcome, status];
    r -= share;
  }
  return ["valid", 200];
}

async function main() {
  const existing = await db.user.count({ where: { email: { in: accounts.map((a) => a.email) } } });
  if (existing > 0) {
    console.log("Demo accounts already exist: nothing to do. (Delete the data folder or database to seed again.)");
    return;
  }
  const now = Date.now();
  const start = Math.floor((now - 30 * DAY) / HOUR) * HOUR;
  const recorder = new UsageRecorder({ client: () => db, flushAt: 5000 });
  let total = 0;

  for (const account of accounts) {
    const user = await createAccount(
      { email: account.email, password: DEMO_PASSWORD, confirmPassword: DEMO_PASSWORD },
      null,
    );
    await db.user.update({ where: { id: user.id }, data: { role: account.role } });
    // Keys and plan belong to the account's personal organization (created at sign-up).
    const organizationId = user.lastOrganizationId!;
    await db.organization.update({ where: { id: organizationId }, data: { plan: account.plan } });
    for (const k of account.keys) {
      // A real-looking key whose secret is discarded: only its hash and display prefix are stored.
      const { secret, prefix } = generateKey(k.environment);
      const revokedAt = k.revokedDaysAgo ? new Date(now - k.revokedDaysAgo * DAY) : null;
      const key = await db.apiKey.create({
        data: {
          organizationId,
          createdById: user.id,
          name: k.name,
          activeName: revokedAt ? null : k.name,
          prefix,
          hash: hashKey(secret),
          environment: k.environment,
          scopes: k.scopes,
          createdAt: new Date(start - DAY),
          revokedAt,
          lastUsedAt: new Date(now - 60_000),
        },
      });
      for (let hour = start; hour < now; hour += HOUR) {
        const revoked = revokedAt !== null && hour >= revokedAt.getTime();
        // A revoked key keeps being tried for a while by stale clients, at a fraction of its old rate.
        const rate = k.perHour * loadFactor(hour) * (revoked ? 0.2 : 1);
        const n = Math.round(rate * (0.8 + Math.random() * 0.4));
        for (let i = 0; i < n; i++) {
          const ts = hour + Math.floor(Math.random() * HOUR);
          if (ts > now) continue;
          const [outcome, status] = revoked ? ["revoked_key", 401] : pickOutcome();
          const [method, route] = routes[Math.floor(Math.random() * routes.length)];
          recorder.record({
            keyId: key.id,
            organizationId,
            ts: new Date(ts),
            route,
            method,
            status,
            outcome,
            ip: `203.0.113.${1 + Math.floor(Math.random() * 40)}`,
            latencyMs: Math.round((2 + Math.random() * 6 + (Math.random() < 0.02 ? 40 : 0)) * 10) / 10,
          });
          total += 1;
        }
        if (recorder.size >= 20_000) await recorder.flush();
      }
    }
  }
  await recorder.flush();
  recorder.stop();
  console.log(
    `Seeded ${accounts.length} accounts, ${accounts.reduce((s, a) => s + a.keys.length, 0)} keys and ${total.toLocaleString("en-US")} usage events (written ${recorder.stats.written.toLocaleString("en-US")}, dropped ${recorder.stats.dropped}).`,
  );
  console.log(`Sign in as demo@keyhold.dev (or admin@keyhold.dev for /admin) with the password: ${DEMO_PASSWORD}`);
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => process.exit(process.exitCode ?? 0));
