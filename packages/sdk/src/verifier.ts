// createVerifier: the platform gateway's side of POST /api/v1/verify. Exact by default: every verification reaches
// Keyhold, so rate limits, credits and usage counting hold. It fails closed: when Keyhold cannot answer, the verdict is
// SERVICE_UNAVAILABLE, never valid.
import { DeadlineError, fetchWithin } from "./deadline.js";
import { baseEndpoint, errorFromResponse, KeyholdError, readJson } from "./errors.js";
import type { VerifyRequest, VerifyResponse } from "./types.js";

/** The longest a refusal may be reused with {@link VerifierOptions.refusalCacheTtlMs}. */
export const MAX_REFUSAL_CACHE_TTL_MS = 5_000;

/** How to reach Keyhold's verify route. */
export type VerifierOptions = {
  /** Keyhold's base URL, such as `https://keys.example.com` (default `KEYHOLD_ENDPOINT`). A trailing `/api/v1` is dropped. */
  endpoint?: string;
  /** The `KEYHOLD_SERVICE_TOKEN` of that Keyhold (default the variable). Required: without it construction throws. */
  serviceToken?: string;
  /**
   * Opt-in, off by default (0): reuse a refusal that no rate limit or credits decided (unknown, revoked or expired key,
   * missing scope or permission, IP not allowed) for this many milliseconds without asking Keyhold, clamped to
   * 0–5000. The repeats it answers skip Keyhold: they are not counted in usage, and a key that becomes acceptable (a
   * scope added) is still refused for up to this long. Successes, and refusals for rate limits or credits, are never
   * reused.
   */
  refusalCacheTtlMs?: number;
  /** The deadline of one verification call in milliseconds (default 5000). */
  timeoutMs?: number;
  /** Most refusals kept by the refusal cache (default 10 000); the oldest go first. */
  maxEntries?: number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
};

/** What a verification requires besides the key: `scope`, every one of `permissions`, `cost` credits, from `ip`. */
export type VerifyOptions = Omit<VerifyRequest, "key">;

/** The verdict when Keyhold could not be asked or did not answer properly (the verifier fails closed). */
export type Unavailable = Omit<Extract<VerifyResponse, { valid: false }>, "code"> & {
  valid: false;
  code: "SERVICE_UNAVAILABLE";
  /** Why Keyhold gave no verdict; for logs, never for the caller's client. */
  message: string;
};

/** Keyhold's verdict, or SERVICE_UNAVAILABLE when it gave none; narrow on `valid` or `code`. */
export type Verification = VerifyResponse | Unavailable;

/** A verifier for one Keyhold. */
export type Verifier = {
  /** Whether `key` is good for these requirements; resolves (never rejects) to the verdict. */
  verify(key: string, options?: VerifyOptions): Promise<Verification>;
  /** Forgets every cached refusal. */
  clear(): void;
};

// Longest key the verify route accepts; longer (or control characters) cannot be a key.
const MAX_KEY_LENGTH = 200;

function emptyVerdict(): Omit<Unavailable, "valid" | "code" | "message"> {
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
function unavailable(message: string): Unavailable {
  return { valid: false, code: "SERVICE_UNAVAILABLE", message, ...emptyVerdict() };
}

// Whether a verdict may be reused: refusals only, and none that a rate limit or credits metered.
function reusable(verdict: VerifyResponse): boolean {
  return !verdict.valid && verdict.ratelimit === null && verdict.credits === null;
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

/**
 * A verifier for one Keyhold: each `verify` sends `{key, scope, permissions, cost, ip}` to `/api/v1/verify` with the
 * service token. Throws a {@link KeyholdError} (`no_credentials` or `invalid_endpoint`) when the endpoint or service
 * token is missing or unusable.
 */
export function createVerifier(options: VerifierOptions = {}): Verifier {
  // No `process` in edge runtimes: there the options are the only source.
  const env: Record<string, string | undefined> = typeof process === "undefined" ? {} : process.env;
  const given = options.endpoint || env.KEYHOLD_ENDPOINT || "";
  const serviceToken = options.serviceToken || env.KEYHOLD_SERVICE_TOKEN || "";
  if (!given)
    throw new KeyholdError("no_credentials", "createVerifier needs an endpoint: pass endpoint or set KEYHOLD_ENDPOINT");
  if (!serviceToken)
    throw new KeyholdError(
      "no_credentials",
      "createVerifier needs a service token: pass serviceToken or set KEYHOLD_SERVICE_TOKEN",
    );
  const endpoint = baseEndpoint(given, options.endpoint ? "endpoint" : "KEYHOLD_ENDPOINT");
  const ttlMs = Math.min(Math.max(options.refusalCacheTtlMs ?? 0, 0), MAX_REFUSAL_CACHE_TTL_MS);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const cache = new Map<string, { verdict: VerifyResponse; until: number }>();

  async function ask(key: string, opts: VerifyOptions): Promise<Verification> {
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
    const body = await readJson(response);
    if (!response.ok || body === undefined) {
      const error = errorFromResponse(response, body, endpoint);
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
      if (ttlMs <= 0) return ask(key, opts);
      const id = cacheKey(key, opts);
      const hit = cache.get(id);
      if (hit && hit.until > Date.now()) return hit.verdict;
      if (hit) cache.delete(id);
      const verdict = await ask(key, opts);
      if (verdict.code !== "SERVICE_UNAVAILABLE" && reusable(verdict)) {
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(id, { verdict, until: Date.now() + ttlMs });
      }
      return verdict;
    },
    clear() {
      cache.clear();
    },
  };
}
