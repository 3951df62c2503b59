// Records other platforms' optional native packages (swc, oxide, resolver bindings) in package-lock.json.
// This workplace's registry serves only this platform's binaries, so `npm install` leaves the others out
// and npm 11's `npm ci` then refuses the lockfile. A version-only entry satisfies `npm ci`; on a platform
// that needs the package npm fetches it by version, and here the optional fetch is skipped.
// Run after changing dependencies: `npm run lock:platforms`.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    packages[`node_modules/${name}`] = { version, optional: true, ...(meta.dev ? { dev: true } : {}) };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(`package-lock.json: recorded ${added} optional platform package(s)`);
