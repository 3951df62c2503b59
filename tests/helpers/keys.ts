// Accounts, keys and requests for key tests.
import { expect } from "vitest";
import { app } from "@/lib/api/app";
import { db } from "@/lib/db";
import type { AllowlistEntry } from "@/lib/ip/allowlist";
import { PEER_HEADER, PEER_SIG_HEADER, setPeerToken } from "@/lib/ip/client-ip";
import { createKey, type KeyActor } from "@/lib/keys/service";
import { createPersonalOrganization } from "@/lib/orgs/organizations";
import { randomBase62 } from "@/lib/random";
import type { Scope } from "@/lib/generated/prisma/enums";
import type { CreateKeyData } from "@/lib/validations/keys";
import type { CreateKeyRequestData } from "@/lib/validations/organizations";

// A bare account (no password sign-in needed for API tests) with its personal organization, as sign-up creates them.
export async function createUser(tag = "user") {
  return db.$transaction(async (tx) => {
    const created = await tx.user.create({
      data: { email: `${tag}-${randomBase62(8)}@example.com`, passwordHash: "unused" },
    });
    const organization = await createPersonalOrganization(tx, created);
    const user = await tx.user.update({ where: { id: created.id }, data: { lastOrganizationId: organization.id } });
    return { ...user, organization };
  });
}

// The personal organization a user owns (created at sign-up, or by createUser).
export async function personalOrg(userId: string) {
  return db.organization.findFirstOrThrow({
    where: { personal: true, memberships: { some: { userId, role: "owner" } } },
  });
}

// The user acting on keys as the owner of their personal organization (lib/keys/service's actor).
export async function ownerActor(userId: string): Promise<KeyActor> {
  return { organizationId: (await personalOrg(userId)).id, userId, role: "owner" };
}

// A key in a user's personal organization, created by them as its owner; returns the key object and its secret.
export async function makeKey(
  userId: string,
  scopes: Scope[] = ["admin"],
  extra: {
    name?: string;
    expiresAt?: Date | null;
    ipAllowlist?: AllowlistEntry[];
    rateLimit?: number | null;
    permissions?: string[];
    credits?: CreateKeyData["credits"];
  } = {},
) {
  const org = await personalOrg(userId);
  return createKey(
    { organizationId: org.id, userId, role: "owner" },
    {
      name: extra.name ?? `key-${randomBase62(6)}`,
      environment: "test",
      scopes,
      expiresAt: extra.expiresAt ?? null,
      ipAllowlist: extra.ipAllowlist ?? [],
      rateLimit: extra.rateLimit ?? null,
      ...(extra.permissions ? { permissions: extra.permissions } : {}),
      credits: extra.credits ?? null,
    },
    { ip: "127.0.0.1" },
  );
}

// The fields a plain key and a plain key request share: a read-scoped test key without expiry, allowlist or rate limit.
function plainKeyFields(): Pick<CreateKeyData, "environment" | "scopes" | "expiresAt" | "ipAllowlist" | "rateLimit"> {
  return { environment: "test", scopes: ["read"], expiresAt: null, ipAllowlist: [], rateLimit: null };
}

// What createKey takes for a plain key (no credits either), with `overrides`.
export function keyInput(overrides: Partial<CreateKeyData> = {}): CreateKeyData {
  return { name: `key-${randomBase62(6)}`, ...plainKeyFields(), credits: null, ...overrides };
}

// What createKeyRequest takes for a plain key request (for CI), with `overrides`.
export function keyRequestInput(overrides: Partial<CreateKeyRequestData> = {}): CreateKeyRequestData {
  return { name: `request-${randomBase62(6)}`, ...plainKeyFields(), reason: "ci", ...overrides };
}

// Keys of a new account in its personal organization, one for each list of scopes: their key objects and secrets.
export async function newUserKeys(...scopeLists: Scope[][]) {
  const user = await createUser();
  const keys = [];
  for (const scopes of scopeLists) keys.push(await makeKey(user.id, scopes));
  return keys;
}

// A Request to the API with optional credentials and JSON body.
export function apiRequest(
  path: string,
  opts: { method?: string; key?: string; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
) {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method: opts.method ?? "GET", headers, body });
}

// The error body of a JSON answer, with its status: { status, code, message, … }.
export async function errorOf(res: Response): Promise<{ status: number; code?: string; message?: string }> {
  expect(res.headers.get("content-type")).toMatch(/json/);
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

// The API's answer to a request, from the Hono app in process (no HTTP server).
export async function api(request: Request): Promise<Response> {
  return app.fetch(request);
}

// The API's answer to POST /api/v1/keys with `body`, sent with the key `secret`.
export async function postKey(secret: string, body: unknown): Promise<Response> {
  return api(apiRequest("/api/v1/keys", { method: "POST", key: secret, body }));
}

const PEER_TOKEN = "test-peer-token-0123456789abcdef";

// Headers as scripts/server.ts stamps them for a TCP peer (with this process's peer token), plus an optional
// X-Forwarded-For the client or a proxy sent.
export function fromPeer(peer: string, forwardedFor?: string): Record<string, string> {
  setPeerToken(PEER_TOKEN);
  return {
    [PEER_HEADER]: peer,
    [PEER_SIG_HEADER]: PEER_TOKEN,
    ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
  };
}
