// POST /api/v1/verify codes, and the verifier's speed properties: no database query for malformed keys,
// cached records, immediate invalidation on revoke/rotate/edit.
process.env.KEYHOLD_SERVICE_TOKEN = "service-token-for-tests-0123456789";

import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { cachedKeyCount, invalidateCachedKey } from "@/lib/keys/cache";
import { generateKey } from "@/lib/keys/format";
import { revokeKey, rotateKey, updateKey } from "@/lib/keys/service";
import { verifyKey } from "@/lib/keys/verify";
import { api, apiRequest, createUser, makeKey, ownerActor } from "../helpers/keys";
import { countQueries, withTestDb } from "../helpers/db";

const testDb = withTestDb();
const TOKEN = "service-token-for-tests-0123456789";

function verify(body: unknown, token: string | null = TOKEN) {
  return api(apiRequest("/api/v1/verify", { method: "POST", body, ...(token ? { key: token } : {}) }));
}

describe("POST /api/v1/verify", () => {
  it("401 without or with a wrong service token", async () => {
    expect((await verify({ key: "x" }, null)).status).toBe(401);
    const res = await verify({ key: "x" }, "not-the-service-token-at-all");
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("invalid_key");
  });

  it("VALID with the key's identity, scopes and expiry", async () => {
    const user = await createUser();
    const expiresAt = new Date(Date.now() + 86_400_000);
    const { key, secret } = await makeKey(user.id, ["write"], { expiresAt });
    const res = await verify({ key: secret, scope: "read", ip: "203.0.113.9" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      valid: true,
      code: "VALID",
      keyId: key.id,
      ownerId: user.id,
      organizationId: user.organization.id,
      clientId: user.organization.clientId,
      scopes: ["write"],
      permissions: [],
      expiresAt: expiresAt.toISOString(),
      ratelimit: { limit: 60, remaining: 59, reset: expect.any(Number) },
      credits: null,
    });
  });

  it("NOT_FOUND for malformed and unknown keys, INSUFFICIENT_SCOPE, EXPIRED, REVOKED", async () => {
    const user = await createUser();
    const reader = await makeKey(user.id, ["read"]);
    const expiring = await makeKey(user.id, ["read"], { expiresAt: new Date(Date.now() + 60_000) });
    const revoked = await makeKey(user.id, ["read"]);
    await revokeKey(await ownerActor(user.id), revoked.key.id, { ip: null });
    await getDb().apiKey.update({ where: { id: expiring.key.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    invalidateCachedKey(expiring.key.id);
    const cases: [unknown, string, boolean][] = [
      [{ key: "garbage" }, "NOT_FOUND", false],
      [{ key: generateKey("live").secret }, "NOT_FOUND", false],
      [{ key: reader.secret, scope: "admin" }, "INSUFFICIENT_SCOPE", true],
      [{ key: expiring.secret }, "EXPIRED", true],
      [{ key: revoked.secret }, "REVOKED", true],
    ];
    for (const [body, code, identified] of cases) {
      const answer = await (await verify(body)).json();
      expect(answer).toMatchObject({ valid: false, code });
      expect(answer.keyId !== null).toBe(identified);
    }
  });

  it("400 invalid_request naming the field for a bad body", async () => {
    const bad: [unknown, RegExp][] = [
      [{}, /^key: /],
      [{ key: "x", scope: "root" }, /^scope: /],
      [{ key: "x", ip: "not-an-ip" }, /^ip: /],
      [{ key: "x", extra: 1 }, /^extra: Unknown field/],
    ];
    for (const [body, message] of bad) {
      const res = await verify(body);
      expect(res.status).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    }
    const malformed = await api(apiRequest("/api/v1/verify", { method: "POST", key: TOKEN, rawBody: "{not json" }));
    expect(await malformed.json()).toEqual({ error: { code: "invalid_request", message: "body: Malformed JSON" } });
  });
});

describe("verification cost", () => {
  it("a malformed key or bad checksum makes zero database queries", async () => {
    const good = generateKey("live").secret;
    const badChecksum = good.slice(0, -6) + (good.endsWith("000000") ? "000001" : "000000");
    const queries = await countQueries(testDb.current.client, async () => {
      for (const secret of ["", "kh_live_short", "Bearer nonsense", badChecksum, good.toUpperCase(), "x".repeat(200)]) {
        const result = await verifyKey({ secret });
        expect(result.ok).toBe(false);
      }
    });
    expect(queries).toBe(0);
  });

  it("a valid key costs one query, then none while cached; an unknown well-formed key costs one each time", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["read"]);
    expect(await countQueries(testDb.current.client, async () => void (await verifyKey({ secret })))).toBe(1);
    expect(
      await countQueries(testDb.current.client, async () => {
        for (let i = 0; i < 20; i++) expect((await verifyKey({ secret, scope: "read" })).ok).toBe(true);
      }),
    ).toBe(0);
    expect(cachedKeyCount()).toBeGreaterThan(0);
    const unknown = generateKey("test").secret;
    expect(await countQueries(testDb.current.client, async () => void (await verifyKey({ secret: unknown })))).toBe(1);
  });

  it("revoke, rotate and edit invalidate the cached record at once", async () => {
    const user = await createUser();
    const a = await makeKey(user.id, ["admin"]);
    expect((await verifyKey({ secret: a.secret, scope: "admin" })).ok).toBe(true);
    await updateKey(await ownerActor(user.id), a.key.id, { scopes: ["read"] }, { ip: null });
    expect(await verifyKey({ secret: a.secret, scope: "admin" })).toMatchObject({
      ok: false,
      code: "insufficient_scope",
    });

    const rotated = await rotateKey(await ownerActor(user.id), a.key.id, 0, { ip: null });
    expect(await verifyKey({ secret: a.secret })).toMatchObject({ ok: false, code: "invalid_key" });
    expect((await verifyKey({ secret: rotated.secret })).ok).toBe(true);

    await revokeKey(await ownerActor(user.id), a.key.id, { ip: null });
    expect(await verifyKey({ secret: rotated.secret })).toMatchObject({ ok: false, code: "revoked_key" });
  });

  it("rotation grace: the old secret passes until previousExpiresAt, then fails (judged at verification time)", async () => {
    const user = await createUser();
    const k = await makeKey(user.id, ["read"]);
    const rotated = await rotateKey(await ownerActor(user.id), k.key.id, 3600, { ip: null });
    const now = Date.now();
    expect((await verifyKey({ secret: k.secret }, now)).ok).toBe(true);
    expect((await verifyKey({ secret: k.secret }, now + 3599_000)).ok).toBe(true);
    expect(await verifyKey({ secret: k.secret }, now + 3601_000)).toMatchObject({ ok: false, code: "invalid_key" });
    expect((await verifyKey({ secret: rotated.secret }, now + 3601_000)).ok).toBe(true);
  });
});
