// A throwaway Keyhold API for client tests (SDK, CLI, Python): a fresh PGlite database in a temporary folder (or
// DATA_DIR), migrated and given one organization with an admin key and a read key and a small permission catalogue,
// then the API app listening on a free loopback port. Prints one JSON line on stdout — {endpoint, serviceToken,
// organization, keys: {admin, read}} — and serves until SIGTERM/SIGINT or until its stdin closes (so a test runner that
// dies takes it along). Usage: `node --import tsx scripts/fixture-server.ts` (not for production: secrets on stdout).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";

const ownDir = process.env.DATA_DIR ? null : mkdtempSync(path.join(tmpdir(), "keyhold-fixture-"));
if (ownDir) process.env.DATA_DIR = ownDir;
process.env.KEYHOLD_SERVICE_TOKEN ??= `svc_${randomBytes(24).toString("hex")}`;
process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");

async function main() {
  const [{ env }, { createAdapter, db }, { applyMigrations }] = await Promise.all([
    import("../lib/env"),
    import("../lib/db"),
    import("../lib/migrations"),
  ]);
  const { DATABASE_URL, dataDir, KEYHOLD_SERVICE_TOKEN } = env();
  if (DATABASE_URL) throw new Error("fixture-server uses its own embedded database: unset DATABASE_URL");
  const migration = createAdapter(undefined, dataDir);
  await applyMigrations(migration.adapter);
  await migration.close();

  const { replaceCatalogue } = await import("../lib/permissions/catalogue");
  const { createOrganization } = await import("../lib/orgs/organizations");
  const { createKey } = await import("../lib/keys/service");
  const { apiServer } = await import("../lib/api/node-handler");
  const { freePort } = await import("./free-port");

  await replaceCatalogue(
    "service",
    {
      permissions: [
        { name: "inference:read", description: "Read inference results" },
        { name: "inference:write", description: "Start completions" },
        { name: "analytics:read", description: "Read usage dashboards" },
      ],
    },
    null,
  );
  const user = await db.user.create({ data: { email: "fixture@example.com", passwordHash: "unused" } });
  const organization = await db.$transaction((tx) =>
    createOrganization(tx, { name: "Fixture Org", slug: "fixture", ownerId: user.id }),
  );
  const actor = { organizationId: organization.id, userId: user.id, role: "owner" as const };
  const base = { environment: "test" as const, expiresAt: null, ipAllowlist: [], rateLimit: null, credits: null };
  const admin = await createKey(actor, { ...base, name: "fixture-admin", scopes: ["admin"] }, { ip: null });
  const read = await createKey(actor, { ...base, name: "fixture-read", scopes: ["read"] }, { ip: null });

  const server = apiServer();
  const port = Number(process.env.PORT) || (await freePort());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const fixture = {
    endpoint: `http://127.0.0.1:${port}`,
    serviceToken: KEYHOLD_SERVICE_TOKEN,
    organization: { id: organization.id, slug: organization.slug, clientId: organization.clientId },
    keys: { admin: { id: admin.key.id, secret: admin.secret }, read: { id: read.key.id, secret: read.secret } },
  };
  process.stdout.write(JSON.stringify(fixture) + "\n");

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close(() => {
      void db.$disconnect().finally(() => {
        if (ownDir) rmSync(ownDir, { recursive: true, force: true });
        process.exit(0);
      });
    });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.resume();
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  process.exit(1);
});
