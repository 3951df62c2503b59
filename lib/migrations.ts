// Prisma migrations without the native schema engine: drives @prisma/schema-engine-wasm through driver adapters.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

const root = path.resolve(__dirname, "..");
export const migrationsDir = path.join(root, "prisma", "migrations");
const schemaFile = path.join(root, "prisma", "schema.prisma");
const filters = { externalTables: [], externalEnums: [] };

interface SchemaEngine {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout?: string }>;
  free(): void;
}

type Glue = { SchemaEngine: { new: (...args: unknown[]) => Promise<SchemaEngine> } };
let glueReady: Promise<Glue> | undefined;

// Loads the WASM schema engine the way its own glue expects (see shared/PRISMA-OFFLINE.md), once per process: the glue
// caches views of the instance's memory, so a second instance would leave it reading the first one's.
async function loadGlue(): Promise<Glue> {
  const require = createRequire(__filename);
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const glue = await import(gluePath);
  const wasm = readFileSync(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(wasm, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return glue;
}

type ScriptAdapter = { executeScript(script: string): Promise<void>; client?: unknown };

// pglite-prisma-adapter's executeScript starts PGlite's exec without awaiting it: a failing migration script was
// recorded as applied and its error surfaced later as an unhandled rejection. Migrations run scripts awaited, so a
// failure stops the migration with its error, as on PostgreSQL.
function awaitScripts(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  if (!(factory instanceof PrismaPGlite)) return factory;
  const awaited = async <A>(open: () => Promise<A>): Promise<A> => {
    const adapter = (await open()) as A & ScriptAdapter;
    const client = adapter.client;
    if (client instanceof PGlite)
      adapter.executeScript = async (script: string) => {
        try {
          await client.exec(script);
        } catch (err) {
          // The engine reports only "external connector error": say which statement failed and why.
          console.error(`migration script failed: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
      };
    return adapter;
  };
  return Object.assign(Object.create(factory) as SqlMigrationAwareDriverAdapterFactory, {
    connect: () => awaited(() => factory.connect()),
    connectToShadowDb: () => awaited(() => factory.connectToShadowDb()),
  });
}

async function openEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void,
): Promise<SchemaEngine> {
  const glue = await (glueReady ??= loadGlue());
  return glue.SchemaEngine.new(
    { datamodels: undefined },
    log,
    bindMigrationAwareSqlAdapterFactory(awaitScripts(factory)),
  );
}

// The migration history on disk, in the engine's input shape.
function readMigrations(dir = migrationsDir) {
  const migrationDirectories = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: readFileSync(path.join(dir, name, "migration.sql"), "utf8") },
      },
    }));
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: readFileSync(path.join(dir, "migration_lock.toml"), "utf8") },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

// Applies pending migrations (like `prisma migrate deploy`); returns the names it applied. `dir`: another migrations
// directory (a test applies the history up to an older migration).
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void = () => {},
  dir = migrationsDir,
) {
  const engine = await openEngine(factory, log);
  try {
    const result = await engine.applyMigrations({ migrationsList: readMigrations(dir), filters });
    return result.appliedMigrationNames;
  } finally {
    engine.free();
  }
}

// SQL that takes the migration history to the schema file; empty when they agree. Diffs a throwaway in-memory PGlite.
export async function diffSchemaAgainstMigrations(): Promise<string> {
  const pglite = new PGlite();
  const factory = new PrismaPGlite(pglite);
  const engine = await openEngine(factory, () => {});
  try {
    await engine.applyMigrations({ migrationsList: readMigrations(), filters });
    const schema = { files: [{ path: schemaFile, content: readFileSync(schemaFile, "utf8") }] };
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files: schema.files, configDir: root },
      to: { tag: "schemaDatamodel", files: schema.files },
      script: true,
      exitCode: true,
      filters,
    });
    return result.exitCode === 0 ? "" : (result.stdout ?? "");
  } finally {
    engine.free();
    await pglite.close();
  }
}
