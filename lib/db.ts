// The one Prisma client: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, else PGlite in DATA_DIR.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
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

const shared = processSingleton<{ client?: PrismaClient; embedded?: boolean }>("db", () => ({}));

function createClient(): PrismaClient {
  const { DATABASE_URL, dataDir } = env();
  shared.embedded = !DATABASE_URL;
  return new PrismaClient({ adapter: createAdapter(DATABASE_URL, dataDir).adapter });
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
