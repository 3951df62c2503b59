// Removes packages built for another platform (npm 9 installs every optional native binary the lockfile lists).
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(process.argv[2] ?? "node_modules");
const libc = process.report?.getReport().header.glibcVersionRuntime ? "glibc" : "musl";
// A package.json field (os, cpu, libc) allows this platform: absent, listed, or not negated.
const allows = (list, value) =>
  !Array.isArray(list) ||
  list.length === 0 ||
  list.includes(value) ||
  (list.every((v) => v.startsWith("!")) && !list.includes(`!${value}`));

let removed = 0;
function visit(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith("@")) {
      visit(full);
      continue;
    }
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(path.join(full, "package.json"), "utf8"));
    } catch {
      continue;
    }
    if (!allows(pkg.os, process.platform) || !allows(pkg.cpu, process.arch) || !allows(pkg.libc, libc)) {
      rmSync(full, { recursive: true, force: true });
      removed++;
      continue;
    }
    const nested = path.join(full, "node_modules");
    try {
      visit(nested);
    } catch {
      // no nested node_modules
    }
  }
}
visit(root);
console.log(`removed ${removed} package(s) built for another platform`);
