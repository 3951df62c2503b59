// createVerifier: the platform gateway's side of POST /api/v1/verify, with a short in-process cache (at most 5 s, never
// a credits or rate-limit refusal, never a success that spent credits) and failing closed: when Keyhold cannot answer,
// the verdict is SERVICE_UNAVAILABLE, never valid.
import { DeadlineError, fetchWithin } from "./deadline.js";
import { errorFromResponse } from "./errors.js";
import type { VerifyRequest, VerifyResponse } from "./types.js";

// The longest a verdict is reused.
export const MAX_CACHE_TTL_MS = 5_000;

export type VerifierOptions = {
  // Keyhold's base URL (default KEYHOLD_ENDPOINT).
  endpoint?: string;
  // KEYHOLD_SERVICE_TOKEN of that Keyhold (default the variable).
  serviceToken?: string;
  // How long a verdict may be reused, clamped to 0–5000 ms (default 1000; 0 turns the cache off).
  cacheTtlMs?: number;
  // The deadline of one verification call in milliseconds (default 5000).
  timeoutMs?: number;
  // Most verdicts kept (default 10 000); the oldest go first.
  maxEntries?: number;
  fetch?: typeof fetch;
};

export type VerifyOptions = Omit<VerifyRequest, "key">;

// Keyhold's verdict, or SERVICE_UNAVAILABLE (with why) when Keyhold could not be asked or did not answer properly.
export type Verification =
  | VerifyResponse
  | (Omit<VerifyResponse, "valid" | "code"> & { valid: false; code: "SERVICE_UNAVAILABLE"; message: string });

export type Verifier = {
  // Whether `key` is good for these requirements; resolves (never rejects) to the verdict.
  verify(key: string, options?: VerifyOptions): Promise<Verification>;
  // Forgets every cached verdict.
  clear(): void;
};

// Verdicts that must reach Keyhold every time: credits and rate limits change with each call.
const NEVER_CACHED = new Set(["RATE_LIMITED", "USAGE_EXCEEDED"]);

// Longest key the verify route accepts; longer (or control characters) cannot be a key.
const MAX_KEY_LENGTH = 200;

function emptyVerdict(): Omit<VerifyResponse, "valid" | "code"> {
  return {
    keyId: null,
    ownerId: null,
    organizationId: null,
    clientId: null,
    scopes: [],
    permissions: [],
    expiresAt: null,
    ratelimit: null,
    credits: null,
  };
}

// The refusal for a call that did not produce a verdict.
export function unavailable(message: string): Verification {
  return { valid: false, code: "SERVICE_UNAVAILABLE", message, ...emptyVerdict() };
}

// How long a verdict may be reused: never one that credits or rate limits decided, nor a success that spent credits;
// a success no longer than the key's own expiry.
function cacheUntil(verdict: VerifyResponse, ttlMs: number, now: number): number {
  if (ttlMs <= 0 || NEVER_CACHED.has(verdict.code)) return 0;
  if (verdict.valid && verdict.credits !== null) return 0;
  let until = now + ttlMs;
  if (verdict.valid && verdict.expiresAt) until = Math.min(until, Date.parse(verdict.expiresAt));
  return until > now ? until : 0;
}

// The cache key: everything the request carries (permissions order does not matter: all are required).
function cacheKey(key: string, options: VerifyOptions): string {
  return JSON.stringify([
    key,
    options.scope ?? null,
    options.permissions ? [...options.permissions].sort() : null,
    options.cost ?? null,
    options.ip ?? null,
  ]);
}

// A verifier for one Keyhold. Each verify call sends {key, scope, permissions, cost, ip} with the service token.
export function createVerifier(options: VerifierOptions = {}): Verifier {
  // No `process` in edge runtimes: there the options are the only source.
  const env: Record<string, string | undefined> = typeof process === "undefined" ? {} : process.env;
  const endpoint = (options.endpoint ?? env.KEYHOLD_ENDPOINT ?? "").replace(/\/+$/, "");
  const serviceToken = options.serviceToken ?? env.KEYHOLD_SERVICE_TOKEN ?? "";
  const ttlMs = Math.min(Math.max(options.cacheTtlMs ?? 1_000, 0), MAX_CACHE_TTL_MS);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const cache = new Map<string, { verdict: VerifyResponse; until: number }>();

  async function ask(key: string, opts: VerifyOptions): Promise<Verification> {
    if (!endpoint || !serviceToken)
      return unavailable("The verifier has no endpoint or service token (KEYHOLD_ENDPOINT, KEYHOLD_SERVICE_TOKEN)");
    let response: Response;
    try {
      response = await fetchWithin(
        fetchImpl,
        `${endpoint}/api/v1/verify`,
        {
          method: "POST",
          headers: { Authorization: `Bearer ${serviceToken}`, "Content-Type": "application/json" },
          body: JSON.stringify({ key, ...opts }),
        },
        timeoutMs,
      );
    } catch (err) {
      const why = err instanceof DeadlineError ? `no answer within ${timeoutMs} ms` : "unreachable";
      return unavailable(`Keyhold verification failed: ${why}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      const error = errorFromResponse(response, body);
      return unavailable(`Keyhold verification failed: ${error.status} ${error.code}: ${error.message}`);
    }
    const verdict = body as VerifyResponse | null;
    if (!verdict || typeof verdict.valid !== "boolean" || typeof verdict.code !== "string")
      return unavailable("Keyhold verification failed: the answer is not a verdict");
    return verdict;
  }

  return {
    async verify(key, opts = {}) {
      // Nothing that long or with control characters is a key: refused here, as Keyhold would, without a call.
      if (!key || key.length > MAX_KEY_LENGTH || /[\u0000-\u001f\u007f]/.test(key))
        return { valid: false, code: "NOT_FOUND", ...emptyVerdict() };
      const id = cacheKey(key, opts);
      const now = Date.now();
      const hit = cache.get(id);
      if (hit && hit.until > now) return hit.verdict;
      if (hit) cache.delete(id);
      const verdict = await ask(key, opts);
      if (verdict.code === "SERVICE_UNAVAILABLE") return verdict;
      const until = cacheUntil(verdict, ttlMs, Date.now());
      if (until) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(id, { verdict, until });
      }
      return verdict;
    },
    clear() {
      cache.clear();
    },
  };
}
