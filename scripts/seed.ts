// Demo data: an administrator and a user with their personal organizations, the team organization "Acme AI" (an owner,
// an admin, a developer and a viewer, keys created by different members, a pending key request and an open invitation),
// a permission catalogue some keys hold, and 30 days of realistic usage written through the usage batch writer.
import { createAccount } from "../lib/auth/accounts";
import { db } from "../lib/db";
import type { KeyEnvironment, OrgRole, Plan, Scope } from "../lib/generated/prisma/client";
import { generateKey } from "../lib/keys/format";
import { creditColumns } from "../lib/keys/credits";
import { hashKey } from "../lib/keys/hash";
import { createInvitation } from "../lib/orgs/invitations";
import { createKeyRequest } from "../lib/orgs/key-requests";
import { createOrganization, type OrgMember } from "../lib/orgs/organizations";
import { replaceCatalogue } from "../lib/permissions/catalogue";
import { UsageRecorder } from "../lib/usage/recorder";
import { runMain } from "./run-main";

export const DEMO_PASSWORD = "keyhold-demo-password";
const DAY = 86_400_000;
const HOUR = 3_600_000;

interface DemoKey {
  name: string;
  environment: KeyEnvironment;
  scopes: Scope[];
  // Catalogue permissions the key holds.
  permissions?: string[];
  // Prepaid credits (each valid request spends 1 in the generated usage); absent: unlimited.
  credits?: { remaining: number; refill: { amount: number; interval: "day" | "month" } | null };
  perHour: number;
  revokedDaysAgo?: number;
  // In a team organization: the member who created it.
  by?: OrgRole;
}

// The platform's own vocabulary (an AI inference platform), as PUT /api/v1/permissions would define it.
const catalogue = [
  { name: "inference:read", description: "List models and read inference results" },
  { name: "inference:write", description: "Start completions, embeddings and batch jobs" },
  { name: "inference:*", description: "Every inference action" },
  { name: "analytics:read", description: "Read usage dashboards and exports" },
  { name: "models:read", description: "Read model cards and versions" },
  { name: "models:deploy", description: "Deploy and roll back model versions" },
  { name: "datasets:read", description: "Download training datasets" },
  { name: "datasets:write", description: "Upload and delete training datasets" },
  { name: "billing:read", description: "Read invoices and credit balances" },
  { name: "billing:write", description: "Change payment methods and buy credits" },
];

// Accounts with their personal organization's plan and keys.
const accounts: { email: string; role: "ADMIN" | "USER"; plan: Plan; keys: DemoKey[] }[] = [
  {
    email: "admin@keyhold.dev",
    role: "ADMIN",
    plan: "ENTERPRISE",
    keys: [{ name: "Ops dashboard", environment: "live", scopes: ["read"], perHour: 12 }],
  },
  {
    email: "demo@keyhold.dev",
    role: "USER",
    plan: "PRO",
    keys: [
      {
        name: "Production backend",
        environment: "live",
        scopes: ["read", "write"],
        permissions: ["inference:read", "inference:write"],
        credits: { remaining: 61_250, refill: { amount: 100_000, interval: "month" } },
        perHour: 90,
      },
      {
        name: "Analytics worker",
        environment: "live",
        scopes: ["read"],
        permissions: ["analytics:read"],
        perHour: 35,
      },
      { name: "Staging", environment: "test", scopes: ["read", "write", "admin"], perHour: 8 },
      { name: "Old mobile app", environment: "live", scopes: ["read"], perHour: 15, revokedDaysAgo: 9 },
    ],
  },
];

const team = {
  name: "Acme AI",
  slug: "acme",
  plan: "PRO" as Plan,
  members: [
    { email: "owner@acme.example", role: "owner" },
    { email: "admin@acme.example", role: "admin" },
    { email: "developer@acme.example", role: "developer" },
    { email: "viewer@acme.example", role: "viewer" },
  ] satisfies { email: string; role: OrgRole }[],
  keys: [
    {
      name: "Inference gateway",
      environment: "live",
      scopes: ["read", "write"],
      permissions: ["inference:*", "models:read"],
      perHour: 120,
      by: "owner",
    },
    {
      name: "Billing sync",
      environment: "live",
      scopes: ["read", "write", "admin"],
      permissions: ["billing:read", "billing:write"],
      perHour: 20,
      by: "admin",
    },
    {
      name: "Evaluation runner",
      environment: "test",
      scopes: ["read"],
      permissions: ["inference:read", "datasets:read", "analytics:read"],
      credits: { remaining: 180, refill: null },
      perHour: 25,
      by: "developer",
    },
    { name: "Notebook (Sam)", environment: "test", scopes: ["read", "write"], perHour: 6, by: "developer" },
    { name: "Legacy chatbot", environment: "live", scopes: ["read"], perHour: 30, revokedDaysAgo: 12, by: "admin" },
  ] satisfies DemoKey[],
  invite: { email: "new.hire@acme.example", role: "developer" as OrgRole },
};

const routes = [
  ["GET", "/api/v1/whoami"],
  ["GET", "/api/v1/keys"],
  ["POST", "/api/v1/verify"],
  ["GET", "/api/v1/usage"],
  ["POST", "/api/v1/keys"],
] as const;

// Share of each rejection among a live key's requests (the rest are valid).
const rejections: [string, number, number][] = [
  ["rate_limited", 0.015, 429],
  ["insufficient_scope", 0.006, 403],
  ["ip_not_allowed", 0.004, 403],
  ["expired_key", 0.002, 401],
  ["client_id_mismatch", 0.001, 403],
];

// Daily rhythm (quiet at night UTC, busiest mid-afternoon) and quieter weekends.
function loadFactor(ms: number): number {
  const d = new Date(ms);
  const hour = d.getUTCHours() + d.getUTCMinutes() / 60;
  const daily = 0.25 + 0.75 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI)) ** 1.5;
  const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6 ? 0.45 : 1;
  return daily * weekend;
}

function pickOutcome(): [string, number] {
  let r = Math.random();
  for (const [outcome, share, status] of rejections) {
    if (r < share) return [outcome, status];
    r -= share;
  }
  return ["valid", 200];
}

// A key whose secret is discarded (only its hash and display prefix are stored), with 30 days of usage.
async function seedKey(
  recorder: UsageRecorder,
  organizationId: string,
  createdById: string,
  k: DemoKey,
  window: { start: number; now: number },
): Promise<number> {
  const { start, now } = window;
  const { secret, prefix } = generateKey(k.environment);
  const revokedAt = k.revokedDaysAgo ? new Date(now - k.revokedDaysAgo * DAY) : null;
  const key = await db.apiKey.create({
    data: {
      organizationId,
      createdById,
      name: k.name,
      activeName: revokedAt ? null : k.name,
      prefix,
      hash: hashKey(secret),
      environment: k.environment,
      scopes: k.scopes,
      permissions: [...(k.permissions ?? [])].sort(),
      ...creditColumns(k.credits ?? null),
      createdAt: new Date(start - DAY),
      revokedAt,
      lastUsedAt: new Date(now - 60_000),
    },
  });
  let total = 0;
  for (let hour = start; hour < now; hour += HOUR) {
    const revoked = revokedAt !== null && hour >= revokedAt.getTime();
    // A revoked key keeps being tried for a while by stale clients, at a fraction of its old rate.
    const rate = k.perHour * loadFactor(hour) * (revoked ? 0.2 : 1);
    const n = Math.round(rate * (0.8 + Math.random() * 0.4));
    for (let i = 0; i < n; i++) {
      const ts = hour + Math.floor(Math.random() * HOUR);
      if (ts > now) continue;
      const [outcome, status] = revoked ? ["revoked_key", 401] : pickOutcome();
      const [method, route] = routes[Math.floor(Math.random() * routes.length)];
      recorder.record({
        keyId: key.id,
        organizationId,
        ts: new Date(ts),
        route,
        method,
        status,
        outcome,
        ip: `203.0.113.${1 + Math.floor(Math.random() * 40)}`,
        cost: k.credits && outcome === "valid" ? 1 : 0,
        latencyMs: Math.round((2 + Math.random() * 6 + (Math.random() < 0.02 ? 40 : 0)) * 10) / 10,
      });
      total += 1;
    }
    if (recorder.size >= 20_000) await recorder.flush();
  }
  return total;
}

function signUp(email: string) {
  return createAccount({ email, password: DEMO_PASSWORD, confirmPassword: DEMO_PASSWORD }, null);
}

async function main() {
  const emails = [...accounts.map((a) => a.email), ...team.members.map((m) => m.email)];
  const existing = await db.user.count({ where: { email: { in: emails } } });
  const taken = await db.organization.count({ where: { slug: team.slug } });
  if (existing > 0 || taken > 0) {
    console.log("Demo accounts already exist: nothing to do. (Delete the data folder or database to seed again.)");
    return;
  }
  const now = Date.now();
  const window = { start: Math.floor((now - 30 * DAY) / HOUR) * HOUR, now };
  const recorder = new UsageRecorder({ client: () => db, flushAt: 5000 });
  let total = 0;
  // The catalogue first: keys may only hold permissions it defines (audited as the service token's change).
  await replaceCatalogue("service", { permissions: catalogue }, null);

  // Personal accounts: the instance administrator and a demo user, each owning their personal organization.
  for (const account of accounts) {
    const user = await signUp(account.email);
    await db.user.update({ where: { id: user.id }, data: { role: account.role } });
    const org = await db.organization.update({ where: { id: user.lastOrganizationId! }, data: { plan: account.plan } });
    for (const k of account.keys) total += await seedKey(recorder, org.id, user.id, k, window);
  }

  // The team: the owner creates it, the others join in their roles.
  const users = new Map<OrgRole, { id: string; email: string }>();
  for (const m of team.members) users.set(m.role, await signUp(m.email));
  const owner = users.get("owner")!;
  const acme = await db.$transaction(async (tx) => {
    const org = await createOrganization(tx, { name: team.name, slug: team.slug, ownerId: owner.id });
    for (const m of team.members.filter((m) => m.role !== "owner"))
      await tx.membership.create({ data: { organizationId: org.id, userId: users.get(m.role)!.id, role: m.role } });
    await tx.user.updateMany({
      where: { id: { in: [...users.values()].map((u) => u.id) } },
      data: { lastOrganizationId: org.id },
    });
    return tx.organization.update({ where: { id: org.id }, data: { plan: team.plan } });
  });
  for (const k of team.keys) total += await seedKey(recorder, acme.id, users.get(k.by)!.id, k, window);
  await recorder.flush();
  recorder.stop();

  const member = (role: OrgRole): OrgMember => ({ organization: acme, role, userId: users.get(role)!.id });
  await createKeyRequest(
    member("developer"),
    {
      name: "Fine-tuning pipeline",
      environment: "live",
      scopes: ["read", "write", "admin"],
      permissions: ["datasets:write", "models:deploy"],
      expiresAt: new Date(now + 90 * DAY),
      ipAllowlist: [],
      rateLimit: null,
      reason: "Nightly fine-tuning jobs upload datasets and manage their own evaluation keys.",
    },
    { ip: null },
  );
  const invitation = await createInvitation(member("owner"), team.invite, { ip: null });

  const keyCount = accounts.reduce((s, a) => s + a.keys.length, 0) + team.keys.length;
  console.log(
    `Seeded ${accounts.length + team.members.length} accounts, ${keyCount} keys and ${total.toLocaleString("en-US")} usage events (written ${recorder.stats.written.toLocaleString("en-US")}, dropped ${recorder.stats.dropped}).`,
  );
  console.log(`\nDemo sign-ins (password: ${DEMO_PASSWORD}):`);
  console.log(`  ${accounts[0].email}  instance administrator (/admin)`);
  console.log(`  ${accounts[1].email}  a user with a personal organization`);
  for (const m of team.members) console.log(`  ${m.email}  ${m.role} of ${team.name} (/dashboard/${team.slug})`);
  console.log(`${catalogue.length} permissions in the catalogue (/admin/permissions).`);
  console.log(`\nPending key request: "Fine-tuning pipeline" from ${users.get("developer")!.email}`);
  console.log(`Open invitation for ${team.invite.email} (${team.invite.role}), valid 7 days:\n  ${invitation.url}`);
}

runMain(main);
