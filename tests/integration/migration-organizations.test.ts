// The organizations migration on a database filled by `npm run db:seed` at the previous migration: the database is built
// up to 20261125192045_sessions_and_password_reset, loaded with tests/fixtures/pre-organizations.sql (that seed plus keys
// in every state, with their secrets and the previous code's verdicts in pre-organizations.json; regenerate both with
// tests/fixtures/make-pre-organizations.ts, whose header says how), then migrated. Every user owns one personal
// organization with their plan and client ID; every secret verifies as it did before; keys, usage and audit move over.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDb } from "@/lib/db";
import { verifyKey } from "@/lib/keys/verify";
import { migrationsDir } from "@/lib/migrations";
import { runShutdownHooks } from "@/lib/shutdown";
import { createTestDb, type TestDb } from "../helpers/db";

const ORGANIZATIONS = "20261125215614_organizations";
const fixtureDir = path.resolve(__dirname, "../fixtures");
const fixture = JSON.parse(readFileSync(path.join(fixtureDir, "pre-organizations.json"), "utf8")) as {
  now: string;
  ip: string;
  keys: {
    keyId: string;
    owner: string;
    secret: string;
    previous: boolean;
    expected: { plain: string; withClientId: string; wrongClientId: string };
  }[];
};

type OldUser = { id: string; email: string; plan: string; clientId: string; suspendedAt: Date | null };
type Totals = Record<string, number>;

let db: TestDb;
let users: OldUser[];
// Per old user id: keys, usage events, rollup counts and latency sums per granularity, key and plan audit events.
const before: Record<string, Totals> = {};
let applied: string[];

// Sums per owner from the old columns (userId) or the new ones (organizationId): one query shape for both.
async function totals(owner: "userId" | "organizationId"): Promise<Record<string, Totals>> {
  const out: Record<string, Totals> = {};
  const add = (rows: { owner: string | null; name: string; value: unknown }[]) => {
    for (const r of rows) if (r.owner) (out[r.owner] ??= {})[r.name] = Number(r.value);
  };
  const q = (sql: string) =>
    db.client.$queryRawUnsafe<{ owner: string | null; name: string; value: unknown }[]>(sql).then(add);
  await q(`SELECT "${owner}" AS owner, 'keys' AS name, count(*) AS value FROM "ApiKey" GROUP BY 1`);
  await q(`SELECT "${owner}" AS owner, 'events' AS name, count(*) AS value FROM "UsageEvent" GROUP BY 1`);
  await q(`SELECT "${owner}" AS owner, 'eventLatency' AS name, sum("latencyMs") AS value FROM "UsageEvent" GROUP BY 1`);
  await q(
    `SELECT "${owner}" AS owner, "granularity" || ' count' AS name, sum("count") AS value FROM "UsageRollup" GROUP BY 1, 2`,
  );
  await q(
    `SELECT "${owner}" AS owner, "granularity" || ' latency' AS name, sum("latencySum") AS value FROM "UsageRollup" GROUP BY 1, 2`,
  );
  await q(
    `SELECT "${owner}" AS owner, 'keyAudit' AS name, count(*) AS value FROM "AuditEvent"
     WHERE "action" LIKE 'key.%' OR "action" = 'admin.plan_changed' GROUP BY 1`,
  );
  return out;
}

beforeAll(async () => {
  // The history up to the migration before organizations.
  const older = mkdtempSync(path.join(tmpdir(), "kh-migrations-"));
  // Every migration before organizations (directory names sort by time; later ones are applied after the check).
  cpSync(migrationsDir, older, {
    recursive: true,
    filter: (src) => {
      const name = path.relative(migrationsDir, src).split(path.sep)[0];
      return !/^\d{14}_/.test(name) || name < ORGANIZATIONS;
    },
  });
  try {
    db = await createTestDb(older);
  } finally {
    rmSync(older, { recursive: true, force: true });
  }
  setDb(db.client);
  const sql = readFileSync(path.join(fixtureDir, "pre-organizations.sql"), "utf8");
  // One statement per line (the generator writes them so).
  for (const line of sql.split("\n")) if (line && !line.startsWith("--")) await db.client.$executeRawUnsafe(line);
  users = await db.client.$queryRawUnsafe<OldUser[]>(
    `SELECT "id", "email", "plan"::text AS plan, "clientId", "suspendedAt" FROM "User" ORDER BY "email"`,
  );
  Object.assign(before, await totals("userId"));
  applied = await db.migrate();
});

afterAll(async () => {
  await runShutdownHooks();
  await db?.close();
});

describe("the organizations migration on a seeded database", () => {
  it("applies on top of the seeded data", () => {
    expect(applied[0]).toBe(ORGANIZATIONS);
    expect(users.map((u) => u.email)).toEqual(
      expect.arrayContaining(["admin@keyhold.dev", "demo@keyhold.dev", "legacy@example.com"]),
    );
    expect(before[users.find((u) => u.email === "demo@keyhold.dev")!.id].events).toBeGreaterThan(0);
  });

  it("gives every user exactly one organization, personal, owned, with their plan, client ID and suspension", async () => {
    expect(await db.client.organization.count()).toBe(users.length);
    for (const user of users) {
      const memberships = await db.client.membership.findMany({
        where: { userId: user.id },
        include: { organization: true },
      });
      expect(memberships).toHaveLength(1);
      const [{ role, organization }] = memberships;
      expect(role).toBe("owner");
      expect(organization).toMatchObject({ personal: true, plan: user.plan, clientId: user.clientId });
      expect(organization.suspendedAt).toEqual(user.suspendedAt);
      const after = await db.client.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(after.lastOrganizationId).toBe(organization.id);
    }
  });

  it("every secret verifies as it did before, with and without X-Client-ID (the organization's = the old one)", async () => {
    const clientIdOf = new Map(users.map((u) => [u.email, u.clientId]));
    const now = Date.parse(fixture.now);
    const verdict = async (secret: string, clientId?: string) => {
      const result = await verifyKey({ secret, ip: fixture.ip, clientId }, now);
      return result.ok ? "valid" : result.code;
    };
    for (const k of fixture.keys) {
      const got = {
        plain: await verdict(k.secret),
        withClientId: await verdict(k.secret, clientIdOf.get(k.owner)),
        wrongClientId: await verdict(k.secret, "kh_client_wrong"),
      };
      expect(got, `${k.owner} ${k.keyId}${k.previous ? " (previous secret)" : ""}`).toEqual(k.expected);
    }
    // The fixture covers every outcome a stored key can have.
    expect(new Set(fixture.keys.map((k) => k.expected.plain))).toEqual(
      new Set(["valid", "revoked_key", "expired_key", "invalid_key", "ip_not_allowed", "account_suspended"]),
    );
    const valid = fixture.keys.filter((k) => k.expected.plain === "valid" && !k.previous);
    const keys = await db.client.apiKey.findMany({ where: { id: { in: valid.map((k) => k.keyId) } } });
    expect(keys).toHaveLength(valid.length);
  });

  it("keys, usage (events and rollups) and key audit events move to the owner's organization, totals equal", async () => {
    const after = await totals("organizationId");
    const orgOf = new Map(
      (await db.client.membership.findMany()).map((m) => [m.userId, m.organizationId] as [string, string]),
    );
    const afterByUser = Object.fromEntries(users.map((u) => [u.id, after[orgOf.get(u.id)!] ?? {}]));
    expect(afterByUser).toEqual(Object.fromEntries(users.map((u) => [u.id, before[u.id] ?? {}])));
    // Who created each key is its old owner.
    for (const user of users) {
      const keys = await db.client.apiKey.findMany({ where: { organizationId: orgOf.get(user.id) } });
      expect(keys.every((k) => k.createdById === user.id)).toBe(true);
    }
    // Account events (sign-up, sign-in) stay with the account, outside any organization.
    const accountEvents = await db.client.auditEvent.findMany({ where: { action: { startsWith: "auth." } } });
    expect(accountEvents.length).toBeGreaterThan(0);
    expect(accountEvents.every((e) => e.organizationId === null)).toBe(true);
  });
});
