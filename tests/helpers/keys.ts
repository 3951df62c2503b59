// Accounts, keys and requests for key tests.
import { app } from "@/lib/api/app";
import { db } from "@/lib/db";
import type { AllowlistEntry } from "@/lib/ip/allowlist";
import { PEER_HEADER, PEER_SIG_HEADER, setPeerToken } from "@/lib/ip/client-ip";
import { createKey } from "@/lib/keys/service";
import { randomBase62 } from "@/lib/random";
import type { Scope } from "@/lib/generated/prisma/enums";

// A bare account (no password sign-in needed for API tests).
export async function createUser(tag = "user") {
  return db.user.create({
    data: {
      email: `${tag}-${randomBase62(8)}@example.com`,
      passwordHash: "unused",
      clientId: `kh_client_${randomBase62(24)}`,
    },
  });
}

// A key for a user, returning the key object and its secret.
export async function makeKey(
  userId: string,
  scopes: Scope[] = ["admin"],
  extra: { name?: string; expiresAt?: Date | null; ipAllowlist?: AllowlistEntry[]; rateLimit?: number | null } = {},
) {
  return createKey(
    userId,
    {
      name: extra.name ?? `key-${randomBase62(6)}`,
      environment: "test",
      scopes,
      expiresAt: extra.expiresAt ?? null,
      ipAllowlist: extra.ipAllowlist ?? [],
      rateLimit: extra.rateLimit ?? null,
    },
    { ip: "127.0.0.1" },
  );
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

// The API's answer to a request, from the Hono app in process (no HTTP server).
export async function api(request: Request): Promise<Response> {
  return app.fetch(request);
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
