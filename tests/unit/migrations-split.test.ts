// On PostgreSQL the migrations run through @prisma/adapter-pg, whose executeScript splits a script on every ";" and runs
// the pieces one by one (PGlite runs the script whole). A ";" inside a comment or a quoted string would cut a statement
// in two and fail only on PostgreSQL, so none may be there.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrationsDir } from "@/lib/migrations";

// The line numbers of semicolons inside a -- comment, a /* */ comment, a '…' string or a "…" identifier.
function misplacedSemicolons(sql: string): number[] {
  const found: number[] = [];
  let line = 1;
  let state: "code" | "line" | "block" | "string" | "ident" = "code";
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    const next = sql[i + 1];
    if (c === "\n") line++;
    if (state === "code") {
      if (c === "-" && next === "-") state = "line";
      else if (c === "/" && next === "*") state = "block";
      else if (c === "'") state = "string";
      else if (c === '"') state = "ident";
      continue;
    }
    if (c === ";") found.push(line);
    if (state === "line" && c === "\n") state = "code";
    else if (state === "block" && c === "*" && next === "/") {
      state = "code";
      i++;
    } else if (state === "string" && c === "'") state = "code";
    else if (state === "ident" && c === '"') state = "code";
  }
  return found;
}

describe("migrations", () => {
  const names = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);

  it("finds the migrations", () => {
    expect(names.length).toBeGreaterThan(0);
  });

  it.each(names)("%s has no ';' inside a comment or a quoted string", (name) => {
    const sql = readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8");
    expect(misplacedSemicolons(sql)).toEqual([]);
  });

  it("the check itself finds one in a comment and in a string", () => {
    expect(misplacedSemicolons("-- a; b\nSELECT 1;\nSELECT 'x;y';\n/* ; */")).toEqual([1, 3, 4]);
  });
});
