// GitHub's secret scanning public keys: parsing (P-256 only), fetching from an HTTP server (a real one started here),
// the store's cache (an hour; an unknown identifier reloads at most once a minute; a failed reload keeps what it had)
// on an injected clock, and the signature check.
import { generateKeyPairSync, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/errors";
import {
  fetchGithubPublicKeys,
  GithubKeyStore,
  KEYS_CACHE_MS,
  parseGithubPublicKeys,
  UNKNOWN_KEY_RELOAD_MS,
  verifyGithubSignature,
} from "@/lib/leaks/github";

const p256 = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const pem = (key: { export: (o: { type: "spki"; format: "pem" }) => string | Buffer }) =>
  key.export({ type: "spki", format: "pem" }).toString();

const first = p256();
const second = p256();
const document = (entries: [string, string][]) => ({
  public_keys: entries.map(([key_identifier, key]) => ({ key_identifier, key, is_current: true })),
});

describe("parseGithubPublicKeys", () => {
  it("keeps ECDSA P-256 keys by identifier and skips other curves, RSA and garbage", () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const keys = parseGithubPublicKeys(
      document([
        ["a", pem(first.publicKey)],
        ["p384", pem(generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey)],
        ["rsa", pem(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey)],
        ["junk", "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"],
      ]),
    );
    expect([...keys.keys()]).toEqual(["a"]);
    vi.mocked(console.error).mockRestore();
  });

  it("refuses a document of another shape", () => {
    expect(() => parseGithubPublicKeys({ keys: [] })).toThrow(/public_keys/);
  });
});

describe("verifyGithubSignature", () => {
  it("accepts the key's signature of the exact raw body, nothing else", () => {
    const body = '[{"token":"x","type":"t","url":""}]';
    const signature = sign("sha256", Buffer.from(body), first.privateKey).toString("base64");
    expect(verifyGithubSignature(body, signature, first.publicKey)).toBe(true);
    expect(verifyGithubSignature(body + " ", signature, first.publicKey)).toBe(false);
    expect(verifyGithubSignature(body, signature, second.publicKey)).toBe(false);
    expect(verifyGithubSignature(body, "%%%", first.publicKey)).toBe(false);
    expect(verifyGithubSignature(body, "", first.publicKey)).toBe(false);
  });
});

describe("fetchGithubPublicKeys", () => {
  let server: Server;
  let base = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/keys") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(document([["a", pem(first.publicKey)]])));
      } else if (req.url === "/moved") {
        res.writeHead(302, { location: "/keys" });
        res.end();
      } else {
        res.writeHead(503);
        res.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("reads the keys GitHub's API answers", async () => {
    expect([...(await fetchGithubPublicKeys(`${base}/keys`)).keys()]).toEqual(["a"]);
  });

  it("fails on an error status and does not follow redirects", async () => {
    await expect(fetchGithubPublicKeys(`${base}/down`)).rejects.toThrow(/503/);
    await expect(fetchGithubPublicKeys(`${base}/moved`)).rejects.toThrow();
  });
});

describe("GithubKeyStore", () => {
  function setup(initial: [string, string][]) {
    const clock = { now: 1_000_000 };
    const state = { entries: initial, fail: false, loads: 0 };
    const store = new GithubKeyStore(
      async () => {
        state.loads++;
        if (state.fail) throw new Error("GitHub is down");
        return parseGithubPublicKeys(document(state.entries));
      },
      () => clock.now,
    );
    return { clock, state, store };
  }

  it("loads once and serves from the cache for an hour, then reloads", async () => {
    const { clock, state, store } = setup([["a", pem(first.publicKey)]]);
    expect(await store.find("a")).not.toBeNull();
    clock.now += KEYS_CACHE_MS - 1;
    expect(await store.find("a")).not.toBeNull();
    expect(state.loads).toBe(1);
    clock.now += 1;
    state.entries = [["b", pem(second.publicKey)]];
    expect(await store.find("a")).toBeNull();
    expect(await store.find("b")).not.toBeNull();
    expect(state.loads).toBe(2);
  });

  it("reloads once for an unknown identifier, at most once a minute", async () => {
    const { clock, state, store } = setup([["a", pem(first.publicKey)]]);
    await store.find("a");
    clock.now += UNKNOWN_KEY_RELOAD_MS;
    state.entries.push(["b", pem(second.publicKey)]);
    expect(await store.find("b")).not.toBeNull();
    expect(state.loads).toBe(2);
    // A forged identifier right after: no reload until a minute has passed.
    expect(await store.find("forged")).toBeNull();
    expect(await store.find("forged")).toBeNull();
    expect(state.loads).toBe(2);
    clock.now += UNKNOWN_KEY_RELOAD_MS;
    expect(await store.find("forged")).toBeNull();
    expect(state.loads).toBe(3);
  });

  it("concurrent lookups share one load", async () => {
    const { state, store } = setup([["a", pem(first.publicKey)]]);
    await Promise.all([store.find("a"), store.find("a"), store.find("a")]);
    expect(state.loads).toBe(1);
  });

  it("keeps the keys it has when a reload fails; with none, answers service_unavailable", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const { clock, state, store } = setup([["a", pem(first.publicKey)]]);
    await store.find("a");
    state.fail = true;
    clock.now += KEYS_CACHE_MS;
    expect(await store.find("a")).not.toBeNull();

    const empty = setup([]);
    empty.state.fail = true;
    const err = await empty.store.find("a").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: "service_unavailable" });
    vi.mocked(console.error).mockRestore();
  });
});
