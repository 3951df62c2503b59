// createVerifier against a real Keyhold: exact by default (every verification asked of Keyhold), the opt-in refusal cache
// (keyed by the whole request, at most 5 s, never a success, never a credits or rate-limit refusal) and failing closed
// when Keyhold cannot answer.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createVerifier, KeyholdError, type Verifier } from "@keyhold/sdk";
import { admin, createTestKey, fixture, withFixture } from "./fixture";

withFixture();
afterEach(() => {
  vi.useRealTimers();
});

// A verifier whose calls to Keyhold are counted.
function counted(options: { refusalCacheTtlMs?: number } = {}): { verifier: Verifier; calls: () => number } {
  let calls = 0;
  const verifier = createVerifier({
    endpoint: fixture.endpoint,
    serviceToken: fixture.serviceToken,
    ...options,
    fetch: (input, init) => (calls++, fetch(input, init)),
  });
  return { verifier, calls: () => calls };
}

describe("verifier cache", () => {
  it("asks Keyhold for every verification by default", async () => {
    const { verifier, calls } = counted();
    for (let i = 0; i < 3; i++) expect((await verifier.verify(fixture.keys.read.secret)).code).toBe("VALID");
    for (let i = 0; i < 3; i++) expect((await verifier.verify("kh_test_nosuchkeyatall")).code).toBe("NOT_FOUND");
    expect(calls()).toBe(6);
  });

  it("reuses a refusal for the same request with refusalCacheTtlMs, never a success", async () => {
    const { verifier, calls } = counted({ refusalCacheTtlMs: 5_000 });
    const key = fixture.keys.read.secret;
    expect((await verifier.verify(key, { scope: "read" })).code).toBe("VALID");
    expect((await verifier.verify(key, { scope: "read" })).code).toBe("VALID");
    expect(calls()).toBe(2);
    expect((await verifier.verify(key, { scope: "admin" })).code).toBe("INSUFFICIENT_SCOPE");
    expect((await verifier.verify(key, { scope: "admin" })).code).toBe("INSUFFICIENT_SCOPE");
    expect(calls()).toBe(3);
    expect((await verifier.verify(key, { scope: "write" })).code).toBe("INSUFFICIENT_SCOPE");
    expect((await verifier.verify(key, { scope: "admin", ip: "10.1.2.3" })).code).toBe("INSUFFICIENT_SCOPE");
    expect((await verifier.verify(key, { permissions: ["inference:read"] })).code).toBe("INSUFFICIENT_PERMISSIONS");
    expect(calls()).toBe(6);
  });

  it("clamps the refusal cache's TTL to 5 seconds", async () => {
    const { verifier, calls } = counted({ refusalCacheTtlMs: 60_000 });
    vi.useFakeTimers({ toFake: ["Date"] });
    expect((await verifier.verify(fixture.keys.read.secret, { scope: "admin" })).code).toBe("INSUFFICIENT_SCOPE");
    vi.setSystemTime(Date.now() + 5_000 - 1);
    await verifier.verify(fixture.keys.read.secret, { scope: "admin" });
    expect(calls()).toBe(1);
    vi.setSystemTime(Date.now() + 2);
    await verifier.verify(fixture.keys.read.secret, { scope: "admin" });
    expect(calls()).toBe(2);
  });

  it("does not cache rate-limit refusals", async () => {
    const limited = await createTestKey("verifier-limited", { rateLimit: 1 });
    const { verifier, calls } = counted({ refusalCacheTtlMs: 5_000 });
    expect((await verifier.verify(limited.secret, { cost: 0 })).code).toBe("VALID");
    verifier.clear();
    const refused = await verifier.verify(limited.secret, { cost: 0 });
    expect(refused.code).toBe("RATE_LIMITED");
    expect(refused.ratelimit?.remaining).toBe(0);
    expect((await verifier.verify(limited.secret, { cost: 0 })).code).toBe("RATE_LIMITED");
    expect(calls()).toBe(3);
  });

  it("never serves a success that spends credits from cache, and does not cache running out", async () => {
    const prepaid = await createTestKey("verifier-credits", { credits: { remaining: 2, refill: null } });
    const { verifier, calls } = counted({ refusalCacheTtlMs: 5_000 });
    const first = await verifier.verify(prepaid.secret);
    const second = await verifier.verify(prepaid.secret);
    expect([first.code, first.credits?.remaining]).toEqual(["VALID", 1]);
    expect([second.code, second.credits?.remaining]).toEqual(["VALID", 0]);
    expect((await verifier.verify(prepaid.secret)).code).toBe("USAGE_EXCEEDED");
    expect(calls()).toBe(3);
    await admin.keys.update(prepaid.key.id, { credits: { remaining: 1, refill: null } });
    // The refusal was not cached: the refilled key passes on the very next call.
    expect((await verifier.verify(prepaid.secret)).code).toBe("VALID");
    expect(calls()).toBe(4);
  });

  it("refuses what cannot be a key without asking Keyhold", async () => {
    const { verifier, calls } = counted();
    expect((await verifier.verify("x".repeat(500))).code).toBe("NOT_FOUND");
    expect((await verifier.verify("")).code).toBe("NOT_FOUND");
    expect(calls()).toBe(0);
    expect((await verifier.verify("kh_test_nosuchkey")).code).toBe("NOT_FOUND");
    expect(calls()).toBe(1);
  });
});

describe("verifier fails closed", () => {
  it("answers SERVICE_UNAVAILABLE, never valid, when Keyhold is unreachable", async () => {
    const verifier = createVerifier({ endpoint: "http://127.0.0.1:9", serviceToken: fixture.serviceToken });
    const verdict = await verifier.verify(fixture.keys.read.secret);
    expect([verdict.valid, verdict.code]).toEqual([false, "SERVICE_UNAVAILABLE"]);
  });

  it("answers SERVICE_UNAVAILABLE for a wrong service token, and caches nothing", async () => {
    let calls = 0;
    const verifier = createVerifier({
      endpoint: fixture.endpoint,
      serviceToken: "svc_wrong",
      fetch: (input, init) => (calls++, fetch(input, init)),
    });
    const verdict = await verifier.verify(fixture.keys.read.secret);
    expect([verdict.valid, verdict.code]).toEqual([false, "SERVICE_UNAVAILABLE"]);
    expect(verdict.code === "SERVICE_UNAVAILABLE" && verdict.message).toMatch(/401 invalid_key/);
    await verifier.verify(fixture.keys.read.secret);
    expect(calls).toBe(2);
  });

  it("answers SERVICE_UNAVAILABLE on a 5xx or a timeout", async () => {
    let hang = false;
    const server = createServer((req, res) => {
      req.resume();
      if (hang) return;
      res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { code: "internal_error", message: "boom" } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const verifier = createVerifier({ endpoint, serviceToken: "svc", timeoutMs: 200 });
      expect((await verifier.verify(fixture.keys.read.secret)).code).toBe("SERVICE_UNAVAILABLE");
      hang = true;
      const verdict = await verifier.verify(fixture.keys.read.secret);
      expect([verdict.valid, verdict.code]).toEqual([false, "SERVICE_UNAVAILABLE"]);
      // The deadline holds while garbage is collected (Node's fetch follows abort signals by weak references).
      const gc = setInterval(() => (globalThis as { gc?: () => void }).gc?.(), 5);
      try {
        const again = await verifier.verify(fixture.keys.read.secret, { cost: 2 });
        expect(again.code === "SERVICE_UNAVAILABLE" && again.message).toMatch(/no answer within 200 ms/);
      } finally {
        clearInterval(gc);
      }
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("refuses to start without an endpoint or service token", () => {
    for (const options of [
      { endpoint: "", serviceToken: "svc" },
      { endpoint: fixture.endpoint, serviceToken: "" },
    ]) {
      let error: unknown;
      try {
        createVerifier(options);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(KeyholdError);
      expect((error as KeyholdError).code).toBe("no_credentials");
    }
  });
});
