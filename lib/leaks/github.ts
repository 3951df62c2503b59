// GitHub's secret scanning partner program: GitHub POSTs the Keyhold keys it finds in public repositories, signed with
// ECDSA P-256 over SHA-256 of the raw body (Github-Public-Key-Signature, DER in base64) by the key named in
// Github-Public-Key-Identifier. Public keys come from GITHUB_SECRET_SCANNING_KEYS_FILE, else from GitHub's API, cached
// for an hour and reloaded (at most once a minute) when a message names an identifier not in the cache.
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ApiError } from "../errors";
import { invalidRequest } from "../validations/field-errors";
import { env } from "../env";
import type { HeaderSource } from "../ip/client-ip";
import { hashKey } from "../keys/hash";
import { processSingleton } from "../singleton";
import { githubLeakBatchSchema } from "../validations/leaks";
import { handleLeak, type LeakLabel } from "./service";

export const GITHUB_KEYS_URL = "https://api.github.com/meta/public_keys/secret_scanning";
export const KEYS_CACHE_MS = 60 * 60 * 1000;
// An unknown identifier reloads the keys at most this often, so forged identifiers cannot make Keyhold hammer GitHub's
// API (which allows 60 unauthenticated requests an hour).
export const UNKNOWN_KEY_RELOAD_MS = 60 * 1000;
const FETCH_TIMEOUT_MS = 10_000;

const publicKeysSchema = z.object({
  public_keys: z.array(z.object({ key_identifier: z.string().min(1), key: z.string().min(1) })),
});

export type GithubPublicKeys = Map<string, KeyObject>;

// The usable keys of a public keys document ({public_keys: [{key_identifier, key, is_current}]}): PEM ECDSA P-256
// keys by identifier; any other entry is skipped with a log line.
export function parseGithubPublicKeys(document: unknown): GithubPublicKeys {
  const parsed = publicKeysSchema.safeParse(document);
  if (!parsed.success) throw new Error("GitHub public keys: expected {public_keys: [{key_identifier, key}]}");
  const keys: GithubPublicKeys = new Map();
  for (const entry of parsed.data.public_keys) {
    try {
      const key = createPublicKey(entry.key);
      if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1")
        throw new Error("not an ECDSA P-256 key");
      keys.set(entry.key_identifier, key);
    } catch (err) {
      console.error(`GitHub public key ${entry.key_identifier} skipped:`, err instanceof Error ? err.message : err);
    }
  }
  return keys;
}

// GitHub's current secret scanning public keys, from its API.
export async function fetchGithubPublicKeys(url = GITHUB_KEYS_URL): Promise<GithubPublicKeys> {
  const response = await fetch(url, {
    headers: { accept: "application/vnd.github+json", "user-agent": "keyhold" },
    redirect: "error",
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`GitHub public keys: ${url} answered ${response.status}`);
  return parseGithubPublicKeys(await response.json());
}

// The public keys in a file of the same shape as GitHub's API answer.
export async function readGithubPublicKeys(file: string): Promise<GithubPublicKeys> {
  return parseGithubPublicKeys(JSON.parse(await readFile(file, "utf8")));
}

// The public keys by identifier, loaded on first use, again after KEYS_CACHE_MS, and early for an unknown identifier
// (at most every UNKNOWN_KEY_RELOAD_MS). A failed reload keeps the keys already loaded.
export class GithubKeyStore {
  private keys: GithubPublicKeys | null = null;
  private checkedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly load: () => Promise<GithubPublicKeys>,
    private readonly now: () => number = Date.now,
  ) {}

  // The key named `identifier`, or null when GitHub (or the file) has none by that name.
  async find(identifier: string): Promise<KeyObject | null> {
    if (!this.keys || this.now() - this.checkedAt >= KEYS_CACHE_MS) await this.reload();
    const key = this.keys?.get(identifier);
    if (key) return key;
    if (this.now() - this.checkedAt >= UNKNOWN_KEY_RELOAD_MS) await this.reload();
    return this.keys?.get(identifier) ?? null;
  }

  // One load at a time; concurrent callers wait for the same one.
  private reload(): Promise<void> {
    this.loading ??= this.load()
      .then(
        (keys) => {
          this.keys = keys;
        },
        (err: unknown) => {
          console.error("GitHub public keys not loaded:", err instanceof Error ? err.message : String(err));
          if (!this.keys)
            throw new ApiError("service_unavailable", "GitHub's secret scanning public keys cannot be loaded");
        },
      )
      .finally(() => {
        this.checkedAt = this.now();
        this.loading = null;
      });
    return this.loading;
  }
}

const shared = processSingleton<{ store?: GithubKeyStore }>("github-secret-scanning-keys", () => ({}));

// The process's key store: the configured file, else GitHub's API.
export function githubKeyStore(): GithubKeyStore {
  if (!shared.store) {
    const file = env().GITHUB_SECRET_SCANNING_KEYS_FILE;
    shared.store = new GithubKeyStore(file ? () => readGithubPublicKeys(file) : () => fetchGithubPublicKeys());
  }
  return shared.store;
}

// Whether `signature` (base64 DER) is `key`'s ECDSA signature of SHA-256 over the raw body.
export function verifyGithubSignature(rawBody: string, signature: string, key: KeyObject): boolean {
  try {
    return verify(
      "sha256",
      Buffer.from(rawBody, "utf8"),
      { key, dsaEncoding: "der" },
      Buffer.from(signature, "base64"),
    );
  } catch {
    return false;
  }
}

export type GithubLabel = { token_hash: string; token_type: string; label: LeakLabel };

// Handles one signed message: refuses a missing or wrong signature (401, nothing read or changed), then applies the
// leak response to each match and answers its label, the token as its SHA-256.
export async function handleGithubMessage(
  rawBody: string,
  headers: HeaderSource,
  meta: { ip: string | null },
): Promise<GithubLabel[]> {
  const identifier = headers.get("github-public-key-identifier");
  const signature = headers.get("github-public-key-signature");
  if (!identifier || !signature)
    throw new ApiError(
      "unauthenticated",
      "Send GitHub's Github-Public-Key-Identifier and Github-Public-Key-Signature headers",
    );
  const key = await githubKeyStore().find(identifier);
  if (!key) throw new ApiError("unauthenticated", "Github-Public-Key-Identifier names no GitHub secret scanning key");
  if (!verifyGithubSignature(rawBody, signature, key))
    throw new ApiError("unauthenticated", "Github-Public-Key-Signature does not match the body");
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new ApiError("invalid_request", "Malformed JSON", "body");
  }
  const parsed = githubLeakBatchSchema.safeParse(body);
  if (!parsed.success) throw invalidRequest(parsed.error);
  const labels: GithubLabel[] = [];
  for (const match of parsed.data) {
    const details = { githubType: match.type, ...(match.source ? { githubSource: match.source } : {}) };
    const { label } = await handleLeak(
      { secret: match.token, source: "github", url: match.url || null, details },
      meta,
    );
    labels.push({ token_hash: hashKey(match.token), token_type: match.type, label });
  }
  return labels;
}
