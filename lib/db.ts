// The one Prisma client: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, else PGlite in DATA_DIR.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "./env";
import { PrismaClient } from "./generated/prisma/client";
import { processSingleton } from "./singleton";

// Builds the driver adapter for the configured database (also used by the migration runner).
export function createAdapter(databaseUrl: string | undefined, dataDir: string) {
  if (databaseUrl) return { adapter: new PrismaPg({ connectionString: databaseUrl }), close: async () => {} };
  mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(path.join(dataDir, "pglite"));
  return { adapter: new PrismaPGlite(pglite), close: () => pglite.close() };
}

// One SQL statement with positional parameters ($1, $2, …), run by the driver under a Prisma client; its rows.
export type SqlExecutor = (sql: string, params: unknown[]) => Promise<{ rows: unknown[] }>;

const executors = new WeakMap<PrismaClient, SqlExecutor>();

// How long a transaction may wait for a connection (PGlite has one, the pool ten) before it fails with P2028: Prisma's
// 2 s failed bursts that a busy server should queue (and made tests fail on a loaded machine). Its running time keeps
// Prisma's limit.
const transactionOptions = { maxWait: 10_000 };

// A Prisma client on a PostgreSQL server, whose pg pool also runs executeOnDriver's statements.
export function postgresClient(config: pg.PoolConfig): PrismaClient {
  const pool = new pg.Pool(config);
  // A pooled connection that breaks while idle (the server restarted) is dropped and replaced; not a crash.
  pool.on("error", (err) => console.error(`database connection lost while idle: ${err.message}`));
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), transactionOptions });
  executors.set(client, (sql, params) => pool.query(sql, params));
  return client;
}

// A Prisma client on a PGlite database, which also runs executeOnDriver's statements.
export function pgliteClient(pglite: PGlite): PrismaClient {
  const client = new PrismaClient({ adapter: new PrismaPGlite(pglite), transactionOptions });
  executors.set(client, (sql, params) => pglite.query(sql, params));
  return client;
}

// Runs a statement on the driver under `client`, past Prisma, and resolves to its rows (as the driver types them: int4
// and float8 as numbers, int8 as strings). For the statements on the request path and the bulk writes: Prisma's own work
// per statement (~0.3 ms of this process's CPU) and per array element (several times the statement's cost for a batch)
// is what a busy server would spend most on. A client not made by postgresClient or pgliteClient runs it through
// $queryRawUnsafe.
export async function queryOnDriver<T>(client: PrismaClient, sql: string, params: unknown[]): Promise<T[]> {
  const execute = executors.get(client);
  if (!execute) return client.$queryRawUnsafe<T[]>(sql, ...params);
  return (await execute(sql, params)).rows as T[];
}

// A client on the configured database (PostgreSQL at `databaseUrl`, else PGlite in `dataDir`), and how to close it.
export function openClient(databaseUrl: string | undefined, dataDir: string) {
  if (databaseUrl) {
    const client = postgresClient({ connectionString: databaseUrl });
    return { client, close: () => client.$disconnect() };
  }
  mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(path.join(dataDir, "pglite"));
  const client = pgliteClient(pglite);
  return { client, close: async () => (await client.$disconnect(), await pglite.close()) };
}

const shared = processSingleton<{ client?: PrismaClient; embedded?: boolean }>("db", () => ({}));

function createClient(): PrismaClient {
  const { DATABASE_URL, dataDir } = env();
  shared.embedded = !DATABASE_URL;
  return openClient(DATABASE_URL, dataDir).client;
}

// Tests install their own client (in-memory PGlite or a throwaway PostgreSQL database) before importing lib code;
// `embedded`: it is a PGlite database only this process uses (lib/keys/credit-ledger.ts then counts credits in memory).
export function setDb(client: PrismaClient, opts: { embedded?: boolean } = {}): void {
  shared.client = client;
  shared.embedded = opts.embedded ?? false;
}

// Whether the database is the embedded PGlite, which only this process can open.
export function isEmbeddedDb(): boolean {
  getDb();
  return shared.embedded ?? false;
}

// The shared client, created on first use and kept across hot reloads.
export function getDb(): PrismaClient {
  shared.client ??= createClient();
  return shared.client;
}

// Property access on `db` goes to the shared client, so modules can import it at load time.
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = getDb() as unknown as Record<string | symbol, unknown>;
    const value = client[prop];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(client) : value;
  },
});
