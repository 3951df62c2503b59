// What the benchmarks share: a PostgreSQL database of their own (recreated and migrated each run, on BENCH_PG_URL's
// server), and an account whose organization is on the enterprise plan with many keys, as many customers' keys are.
import { PrismaPg } from "@prisma/adapter-pg";
import type { Result } from "autocannon";
import { Client } from "pg";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { env } from "../lib/env";
import { createKey, type KeyActor } from "../lib/keys/service";
import { applyMigrations } from "../lib/migrations";
import { createPersonalOrganization } from "../lib/orgs/organizations";

// The URL of database `name` on BENCH_PG_URL's server (default: the local server).
export function benchDatabaseUrl(name: string): string {
  const url = new URL(env().BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  url.pathname = `/${name}`;
  return url.toString();
}

// Drops and creates database `name` on BENCH_PG_URL's server and applies the migrations; returns its URL.
export async function recreateBenchDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: env().BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = benchDatabaseUrl(name);
  await applyMigrations(new PrismaPg({ connectionString: url }));
  return url;
}

// An account with its personal organization, as sign-up creates them, moved to the enterprise plan (6,000 requests a
// minute per key); returns the owner acting in it.
export async function benchAccount(client: PrismaClient): Promise<KeyActor> {
  const { user, org } = await client.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { email: `bench-${Date.now().toString(36)}@example.com`, passwordHash: "unused" },
    });
    return { user: created, org: await createPersonalOrganization(tx, created) };
  });
  await client.organization.update({ where: { id: org.id }, data: { plan: "ENTERPRISE" } });
  return { organizationId: org.id, userId: user.id, role: "owner" };
}

// `count` read keys named `${prefix}-<n>`, each with its plan's limit; returns their secrets.
export async function spreadKeys(actor: KeyActor, count: number, prefix: string): Promise<string[]> {
  const secrets: string[] = [];
  for (let i = 0; i < count; i++) {
    const { secret } = await createKey(
      actor,
      {
        name: `${prefix}-${i}`,
        environment: "test",
        scopes: ["read"],
        expiresAt: null,
        ipAllowlist: [],
        rateLimit: null,
      },
      { ip: null },
    );
    secrets.push(secret);
  }
  return secrets;
}

// One autocannon load's figures: mean req/s, p50 and p99 latency (ms), non-2xx answers, errors and timeouts, and the
// answers that were 2xx.
export type Figures = { rps: number; p50: number; p99: number; non2xx: number; errors: number; ok: number };

export function figuresOf(r: Result): Figures {
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    ok: r.requests.total - r.non2xx,
  };
}

// The metrics token the benchmarks give the server they start (/api/metrics).
export const METRICS_TOKEN = "bench-metrics-token-0123456789";

// The usage writer as /api/metrics shows it.
export async function writerMetrics(base: string) {
  const text = await (
    await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  const read = (pattern: RegExp) => [...text.matchAll(pattern)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    buffer: read(/^keyhold_usage_buffer_events (\S+)$/gm),
    dropped: read(/^keyhold_usage_events_dropped_total (\S+)$/gm),
    written: read(/^keyhold_usage_events_written_total (\S+)$/gm),
    recorded: read(/^keyhold_verifications_total\{[^}]*\} (\S+)$/gm),
  };
}

// Runs `load` while sampling the usage buffer every 250 ms; returns the load's result and the largest buffer seen.
export async function watched<T>(base: string, load: () => Promise<T>): Promise<{ result: T; maxBuffer: number }> {
  let maxBuffer = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      maxBuffer = Math.max(maxBuffer, (await writerMetrics(base)).buffer);
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const result = await load();
  running = false;
  await sampler;
  return { result, maxBuffer };
}
