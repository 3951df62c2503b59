// A migration script that fails stops the migration on PGlite too (the adapter's executeScript did not await PGlite:
// the broken migration was reported applied, its error lost), and the history records it as unfinished.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { afterAll, expect, it, vi } from "vitest";
import { applyMigrations, migrationsDir } from "../../lib/migrations";

const dir = mkdtempSync(path.join(tmpdir(), "kh-broken-migration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("refuses a migration whose script fails and records it unfinished, without an unhandled rejection", async () => {
  cpSync(migrationsDir, dir, { recursive: true });
  mkdirSync(path.join(dir, "20991231000000_broken"));
  writeFileSync(
    path.join(dir, "20991231000000_broken", "migration.sql"),
    'CREATE TABLE "Broken" ("id" TEXT NOT NULL,\n\nCREATE TABLE "Other" ("id" TEXT);\n',
  );
  const unhandled = vi.fn();
  process.on("unhandledRejection", unhandled);
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  const pglite = new PGlite();
  try {
    await expect(applyMigrations(new PrismaPGlite(pglite), () => {}, dir)).rejects.toThrow();
    expect(logged).toHaveBeenCalledWith(expect.stringContaining("syntax error"));
    const { rows } = await pglite.query<{ migration_name: string; finished_at: Date | null }>(
      `SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY started_at DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({ migration_name: "20991231000000_broken", finished_at: null });
    expect((await pglite.query(`SELECT to_regclass('"Other"') AS t`)).rows[0]).toEqual({ t: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).not.toHaveBeenCalled();
  } finally {
    process.off("unhandledRejection", unhandled);
    logged.mockRestore();
    await pglite.close();
  }
});
