// Migration CLI without the native engine: `deploy` (apply pending), `create <name>` (from schema changes), `check` (in sync).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createAdapter } from "../lib/db";
import { env } from "../lib/env";
import { applyMigrations, diffSchemaAgainstMigrations, migrationsDir } from "../lib/migrations";

async function deploy(): Promise<void> {
  const { DATABASE_URL, dataDir } = env();
  const { adapter, close } = createAdapter(DATABASE_URL, dataDir);
  try {
    const applied = await applyMigrations(adapter);
    const where = DATABASE_URL ? "PostgreSQL" : `PGlite (${path.relative(process.cwd(), dataDir) || "."})`;
    console.log(
      applied.length
        ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(", ")}`
        : `${where}: no pending migrations`,
    );
  } finally {
    await close();
  }
}

async function create(name: string | undefined): Promise<void> {
  if (!name || !/^[a-z0-9_]+$/.test(name))
    throw new Error("usage: npm run db:migration -- <name>  (lowercase letters, digits, _)");
  const sql = await diffSchemaAgainstMigrations();
  if (!sql.trim()) {
    console.log("Schema and migrations already agree: nothing to create.");
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(migrationsDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), sql);
  console.log(`Created ${path.relative(process.cwd(), dir)}/migration.sql`);
}

async function check(): Promise<void> {
  const sql = await diffSchemaAgainstMigrations();
  if (sql.trim()) {
    console.error(
      "prisma/schema.prisma has changes no migration records. Run `npm run db:migration -- <name>`. Missing SQL:\n" +
        sql,
    );
    process.exitCode = 1;
  } else {
    console.log("Schema and migrations are in sync.");
  }
}

const [command, arg] = process.argv.slice(2);
const run =
  command === "deploy"
    ? deploy()
    : command === "create"
      ? create(arg)
      : command === "check"
        ? check()
        : Promise.reject(new Error("usage: migrate deploy|create <name>|check"));
run
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  // The engine leaves a timer pending after PostgreSQL advisory locks; exit explicitly.
  .finally(() => process.exit(process.exitCode ?? 0));
