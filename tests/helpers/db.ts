// A fresh, migrated database per test file: in-memory PGlite, or a throwaway PostgreSQL database when KEYHOLD_TEST_DB=postgres.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { Client } from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, beforeAll } from "vitest";
import { pgliteClient, postgresClient, setDb } from "@/lib/db";
import { env } from "@/lib/env";
import { type Prisma, PrismaClient } from "@/lib/generated/prisma/client";
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

// The data directory of a PGlite migrated with `dir`, made once per migrations folder and PGlite version and kept in
// the system's temporary folder: a new in-memory PGlite runs initdb (seconds on this machine, in every test file);
// one loaded from this image starts migrated in a fraction of that.
async function migratedImage(dir: string): Promise<Blob> {
  const digest = createHash("sha256").update(pgliteVersion());
  for (const name of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const file = path.join(dir, name);
    digest.update(name);
    if (name.endsWith(".sql") || name.endsWith(".toml")) digest.update(readFileSync(file));
  }
  const image = path.join(tmpdir(), `keyhold-test-pglite-${digest.digest("hex").slice(0, 24)}.tar`);
  if (existsSync(image)) return new Blob([readFileSync(image)]);
  const pglite = new PGlite();
  await applyMigrations(new PrismaPGlite(pglite), undefined, dir);
  const made = await pglite.dumpDataDir("none");
  await pglite.close();
  // Written aside, then renamed: a test file running beside this one reads a whole image or none.
  const partial = `${image}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(partial, Buffer.from(await made.arrayBuffer()));
  renameSync(partial, image);
  return made;
}

function pgliteVersion(): string {
  const entry = import.meta.resolve("@electric-sql/pglite");
  let folder = path.dirname(new URL(entry).pathname);
  while (!existsSync(path.join(folder, "package.json"))) folder = path.dirname(folder);
  return (JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as { version: string }).version;
}

async function createPgliteDb(dir: string): Promise<TestDb> {
  const pglite = new PGlite({ loadDataDir: await migratedImage(dir) });
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

// Counts every query made through lib/db (raw ones and those inside transactions too) while `work` runs, with `base` (the
// test file's client) restored after.
export async function countQueries(base: PrismaClient, work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const counting = base.$extends({
    query: {
      $allOperations({ args, query }) {
        count++;
        return query(args);
      },
    },
  });
  setDb(counting as unknown as PrismaClient);
  try {
    await work();
  } finally {
    setDb(base);
  }
  return count;
}

// The audit events matching `where`, oldest first, as [action, actorId] pairs.
export async function auditTrail(client: PrismaClient, where: Prisma.AuditEventWhereInput) {
  const events = await client.auditEvent.findMany({ where, orderBy: { createdAt: "asc" } });
  return events.map((e) => [e.action, e.actorId]);
}

// A client for a server that refuses every connection (port 1 on loopback), for tests of a database that is down.
export function unreachableClient(): PrismaClient {
  return postgresClient({ connectionString: "postgresql://nobody@127.0.0.1:1/none", connectionTimeoutMillis: 500 });
}
