// A fresh, migrated database per test file: in-memory PGlite, or a throwaway PostgreSQL database when KEYHOLD_TEST_DB=postgres.
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { Client } from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll } from "vitest";
import { pgliteClient, postgresClient, setDb } from "@/lib/db";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations, migrationsDir } from "@/lib/migrations";
import { runShutdownHooks } from "@/lib/shutdown";

export interface TestDb {
  client: PrismaClient;
  kind: "pglite" | "postgres";
  // Connection URL of the throwaway PostgreSQL database (postgres only), for child processes and own connections (LISTEN).
  url?: string;
  // Applies the migrations not applied yet (to a database created at an older migration); returns their names.
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

async function createPostgresDb(baseUrl: string, dir: string): Promise<TestDb> {
  const name = `kh_test_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  await applyMigrations(new PrismaPg({ connectionString: url.toString() }), undefined, dir);
  const client = postgresClient({ connectionString: url.toString() });
  return {
    client,
    kind: "postgres",
    url: url.toString(),
    migrate: () => applyMigrations(new PrismaPg({ connectionString: url.toString() })),
    async close() {
      await client.$disconnect();
      const dropper = new Client({ connectionString: baseUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

async function createPgliteDb(dir: string): Promise<TestDb> {
  const pglite = new PGlite();
  await applyMigrations(new PrismaPGlite(pglite), undefined, dir);
  const client = pgliteClient(pglite);
  return {
    client,
    kind: "pglite",
    migrate: () => applyMigrations(new PrismaPGlite(pglite)),
    async close() {
      await client.$disconnect();
      await pglite.close();
    },
  };
}

// Creates a migrated database for this run's backend; `migrations`: another migrations directory (an older history).
export async function createTestDb(migrations = migrationsDir): Promise<TestDb> {
  const { KEYHOLD_TEST_DB, TEST_DATABASE_URL } = env();
  if (KEYHOLD_TEST_DB === "postgres") {
    if (!TEST_DATABASE_URL) throw new Error("KEYHOLD_TEST_DB=postgres needs TEST_DATABASE_URL");
    return createPostgresDb(TEST_DATABASE_URL, migrations);
  }
  return createPgliteDb(migrations);
}

// Installs a fresh database as lib/db's client for the whole test file; returns a handle filled in beforeAll.
export function withTestDb(): { current: TestDb } {
  const handle = {} as { current: TestDb };
  beforeAll(async () => {
    handle.current = await createTestDb();
    // An in-memory PGlite is this process's alone, as the embedded database is the server's.
    setDb(handle.current.client, { embedded: handle.current.kind === "pglite" });
  });
  afterAll(async () => {
    // Like the server at exit: flush the usage and lastUsedAt buffers and stop listeners while the database is still here.
    await runShutdownHooks();
    await handle.current?.close();
  });
  return handle;
}

// A client for a server that refuses every connection (port 1 on loopback), for tests of a database that is down.
export function unreachableClient(): PrismaClient {
  return postgresClient({ connectionString: "postgresql://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 500 });
}
