// REST /api/v1: every error code of the API, ownership, validation and the happy paths, through the real handlers.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { generateKey } from "@/lib/keys/format";
import { invalidateCachedKey } from "@/lib/keys/cache";
import { flushLastUsed, markKeyUsed } from "@/lib/keys/last-used";
import { api, apiRequest, createUser, errorOf, makeKey, newUserKeys, postKey } from "../helpers/keys";
import { withTestDb } from "../helpers/db";

withTestDb();

describe("authentication errors", () => {
  it("401 missing_key without a credential, with a WWW-Authenticate challenge", async () => {
    const res = await api(apiRequest("/api/v1/whoami"));
    expect(await errorOf(res)).toMatchObject({ status: 401, code: "missing_key" });
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const basic = await api(apiRequest("/api/v1/whoami", { headers: { authorization: "Basic dXNlcjpwYXNz" } }));
    expect(await errorOf(basic)).toMatchObject({ status: 401, code: "missing_key" });
  });

  it("401 invalid_key for a malformed key, a bad checksum, and a well-formed unknown key", async () => {
    const unknown = generateKey("live").secret;
    const typo = unknown.slice(0, 10) + (unknown[10] === "x" ? "y" : "x") + unknown.slice(11);
    for (const key of ["nope", typo, unknown]) {
      expect(await errorOf(await api(apiRequest("/api/v1/whoami", { key })))).toMatchObject({
        status: 401,
        code: "invalid_key",
      });
    }
  });

  it("accepts the key as Bearer or X-API-Key and answers {key, clientId, organization}", async () => {
    const user = await createUser();
    const { key, secret } = await makeKey(user.id, ["read"]);
    for (const req of [
      apiRequest("/api/v1/whoami", { key: secret }),
      apiRequest("/api/v1/whoami", { headers: { "x-api-key": secret } }),
    ]) {
      const res = await api(req);
      expect(res.status).toBe(200);
      const { organization: org } = user;
      expect(await res.json()).toEqual({
        key,
        clientId: org.clientId,
        organization: { id: org.id, slug: org.slug, name: org.name, plan: "FREE" },
      });
    }
  });

  it("401 expired_key once expiresAt has passed", async () => {
    const user = await createUser();
    const { key, secret } = await makeKey(user.id, ["read"], { expiresAt: new Date(Date.now() + 60_000) });
    await db.apiKey.update({ where: { id: key.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    invalidateCachedKey(key.id);
    expect(await errorOf(await api(apiRequest("/api/v1/whoami", { key: secret })))).toMatchObject({
      status: 401,
      code: "expired_key",
    });
  });

  it("401 revoked_key after revocation through the API, at once despite the cache", async () => {
    const user = await createUser();
    const { key, secret } = await makeKey(user.id, ["admin"]);
    expect((await api(apiRequest("/api/v1/whoami", { key: secret }))).status).toBe(200);
    const revoked = await api(apiRequest(`/api/v1/keys/${key.id}/revoke`, { method: "POST", key: secret }));
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).revokedAt).not.toBeNull();
    expect(await errorOf(await api(apiRequest("/api/v1/whoami", { key: secret })))).toMatchObject({
      status: 401,
      code: "revoked_key",
    });
  });

  it("403 insufficient_scope when the key lacks the route's scope (admin ⊇ write ⊇ read)", async () => {
    const user = await createUser();
    const reader = await makeKey(user.id, ["read"]);
    const writer = await makeKey(user.id, ["write"]);
    const res = await postKey(reader.secret, { name: "x", environment: "live", scopes: ["read"] });
    expect(await errorOf(res)).toMatchObject({ status: 403, code: "insufficient_scope" });
    expect((await api(apiRequest("/api/v1/keys", { key: writer.secret }))).status).toBe(200);
    expect(await db.apiKey.count({ where: { organizationId: user.organization.id } })).toBe(2);
  });

  it("403 client_id_mismatch when X-Client-ID is not the key's organization's; the right one passes", async () => {
    const user = await createUser();
    const other = await createUser("other");
    const { secret } = await makeKey(user.id, ["read"]);
    const bad = await api(
      apiRequest("/api/v1/whoami", { key: secret, headers: { "x-client-id": other.organization.clientId } }),
    );
    expect(await errorOf(bad)).toMatchObject({ status: 403, code: "client_id_mismatch" });
    const good = await api(
      apiRequest("/api/v1/whoami", { key: secret, headers: { "x-client-id": user.organization.clientId } }),
    );
    expect(good.status).toBe(200);
  });

  it("403 account_suspended when the key's organization is suspended, checked after revoked and expired", async () => {
    const user = await createUser();
    const { key, secret } = await makeKey(user.id, ["read"]);
    // Suspending the account that created the key does not refuse the organization's key.
    await db.user.update({ where: { id: user.id }, data: { suspendedAt: new Date() } });
    invalidateCachedKey(key.id);
    expect((await api(apiRequest("/api/v1/whoami", { key: secret }))).status).toBe(200);
    await db.organization.update({ where: { id: user.organization.id }, data: { suspendedAt: new Date() } });
    invalidateCachedKey(key.id);
    expect(await errorOf(await api(apiRequest("/api/v1/whoami", { key: secret })))).toMatchObject({
      status: 403,
      code: "account_suspended",
    });
    await db.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    invalidateCachedKey(key.id);
    expect(await errorOf(await api(apiRequest("/api/v1/whoami", { key: secret })))).toMatchObject({
      status: 401,
      code: "revoked_key",
    });
  });
});

describe("keys routes", () => {
  it("creates a key (201, secret once), lists it newest first without secrets, gets it", async () => {
    const user = await createUser();
    const admin = await makeKey(user.id, ["admin"], { name: "admin" });
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const res = await postKey(admin.secret, { name: "deploy", environment: "live", scopes: ["write"], expiresAt });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created.secret).toMatch(/^kh_live_[0-9A-Za-z]{38}$/);
    expect(created.key).toMatchObject({
      name: "deploy",
      environment: "live",
      scopes: ["write"],
      expiresAt,
      prefix: created.secret.slice(0, 12),
      revokedAt: null,
    });
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id: created.key.id } });
    expect(JSON.stringify(stored)).not.toContain(created.secret);

    const list = await (await api(apiRequest("/api/v1/keys", { key: admin.secret }))).json();
    expect(list.data.map((k: { name: string }) => k.name)).toEqual(["deploy", "admin"]);
    expect(JSON.stringify(list)).not.toContain(created.secret);

    const one = await api(apiRequest(`/api/v1/keys/${created.key.id}`, { key: admin.secret }));
    expect(await one.json()).toEqual(created.key);
    const audit = await db.auditEvent.findMany({ where: { keyId: created.key.id } });
    expect(audit.map((a) => a.action)).toEqual(["key.created"]);
    expect(JSON.stringify(audit)).not.toContain(created.secret);
  });

  it("paginates by cursor, newest first, with no overlap and a 400 for a bad cursor or limit", async () => {
    const user = await createUser();
    const admin = await makeKey(user.id, ["admin"], { name: "k00" });
    for (let i = 1; i <= 6; i++) await makeKey(user.id, ["read"], { name: `k0${i}` });
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await api(
        apiRequest(`/api/v1/keys?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { key: admin.secret }),
      );
      const page = (await res.json()) as { data: { name: string }[]; nextCursor: string | null };
      names.push(...page.data.map((k) => k.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(names).toEqual(["k06", "k05", "k04", "k03", "k02", "k01", "k00"]);
    expect(await errorOf(await api(apiRequest("/api/v1/keys?cursor=zzz", { key: admin.secret })))).toMatchObject({
      status: 400,
      code: "invalid_request",
      message: "cursor: Unknown cursor",
    });
    expect((await errorOf(await api(apiRequest("/api/v1/keys?limit=1000", { key: admin.secret })))).message).toMatch(
      /^limit: /,
    );
  });

  it("404 not_found for another organization's key on every keyed route, and nothing changes", async () => {
    const mine = await createUser();
    const theirs = await createUser("theirs");
    const admin = await makeKey(mine.id, ["admin"]);
    const victim = await makeKey(theirs.id, ["read"], { name: "victim" });
    const id = victim.key.id;
    const calls = [
      api(apiRequest(`/api/v1/keys/${id}`, { key: admin.secret })),
      api(apiRequest(`/api/v1/keys/${id}`, { method: "PATCH", key: admin.secret, body: { name: "pwned" } })),
      api(apiRequest(`/api/v1/keys/${id}/rotate`, { method: "POST", key: admin.secret })),
      api(apiRequest(`/api/v1/keys/${id}/revoke`, { method: "POST", key: admin.secret })),
      api(apiRequest("/api/v1/keys/does-not-exist", { key: admin.secret })),
    ];
    for (const res of await Promise.all(calls))
      expect(await errorOf(res)).toMatchObject({ status: 404, code: "not_found" });
    expect(await db.apiKey.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: "victim",
      revokedAt: null,
      hash: expect.any(String),
    });
    expect((await api(apiRequest("/api/v1/whoami", { key: victim.secret }))).status).toBe(200);
  });

  it.each([
    ["malformed JSON", '{"name": ', "body", /^body: Malformed JSON$/],
    ["empty name", { name: "", environment: "live", scopes: ["read"] }, "name", /^name: Name is required$/],
    ["too-long name", { name: "n".repeat(65), environment: "live", scopes: ["read"] }, "name", /^name: /],
    ["no scope", { name: "a", environment: "live", scopes: [] }, "scopes", /^scopes: Choose at least one scope$/],
    ["unknown scope", { name: "a", environment: "live", scopes: ["superuser"] }, "scopes", /^scopes: Unknown scope/],
    [
      "past expiry",
      { name: "a", environment: "live", scopes: ["read"], expiresAt: "2020-01-01T00:00:00Z" },
      "expiresAt",
      /^expiresAt: Expiry must be in the future$/,
    ],
    [
      "unknown field",
      { name: "a", environment: "live", scopes: ["read"], ownerId: "someone-else" },
      "ownerId",
      /^ownerId: Unknown field/,
    ],
    ["not an object", [1, 2], "body", /^body: /],
  ])(
    "POST /keys: 400 invalid_request for %s, naming %s, and nothing is written",
    async (_label, body, _field, message) => {
      const [admin] = await newUserKeys(["admin"]);
      const before = await db.apiKey.count();
      const req =
        typeof body === "string"
          ? apiRequest("/api/v1/keys", { method: "POST", key: admin.secret, rawBody: body })
          : apiRequest("/api/v1/keys", { method: "POST", key: admin.secret, body });
      const err = await errorOf(await api(req));
      expect(err).toMatchObject({ status: 400, code: "invalid_request" });
      expect(err.message).toMatch(message);
      expect(await db.apiKey.count()).toBe(before);
    },
  );

  it("400 naming name for a duplicate active name; a revoked key's name is free again", async () => {
    const user = await createUser();
    const admin = await makeKey(user.id, ["admin"], { name: "taken" });
    const dup = await postKey(admin.secret, { name: "taken", environment: "test", scopes: ["read"] });
    expect(await errorOf(dup)).toMatchObject({
      status: 400,
      code: "invalid_request",
      message: "name: An active key with this name already exists",
    });
    const other = await makeKey(user.id, ["read"], { name: "old" });
    const rename = await api(
      apiRequest(`/api/v1/keys/${other.key.id}`, { method: "PATCH", key: admin.secret, body: { name: "taken" } }),
    );
    expect((await errorOf(rename)).message).toMatch(/^name: /);
    await api(apiRequest(`/api/v1/keys/${other.key.id}/revoke`, { method: "POST", key: admin.secret }));
    const reuse = await postKey(admin.secret, { name: "old", environment: "test", scopes: ["read"] });
    expect(reuse.status).toBe(201);
  });

  it("PATCH renames and changes scopes and expiry; the change applies to the next request at once", async () => {
    const user = await createUser();
    const admin = await makeKey(user.id, ["admin"]);
    const target = await makeKey(user.id, ["admin"], { name: "before" });
    expect((await api(apiRequest("/api/v1/keys", { key: target.secret }))).status).toBe(200);
    const res = await api(
      apiRequest(`/api/v1/keys/${target.key.id}`, {
        method: "PATCH",
        key: admin.secret,
        body: { name: "after", scopes: ["write"], expiresAt: null },
      }),
    );
    expect(await res.json()).toMatchObject({ name: "after", scopes: ["write"], expiresAt: null });
    const denied = await postKey(target.secret, { name: "z", environment: "test", scopes: ["read"] });
    expect(await errorOf(denied)).toMatchObject({ status: 403, code: "insufficient_scope" });
    const empty = await api(
      apiRequest(`/api/v1/keys/${target.key.id}`, { method: "PATCH", key: admin.secret, body: {} }),
    );
    expect(await errorOf(empty)).toMatchObject({
      status: 400,
      message: "body: Send at least one of name, scopes, permissions, expiresAt, ipAllowlist, rateLimit, credits",
    });
  });

  it("rotate: 400 for a grace period out of range; the new secret works, the old one only during the grace", async () => {
    const [admin, target] = await newUserKeys(["admin"], ["read"]);
    const rotate = (body: unknown) =>
      api(apiRequest(`/api/v1/keys/${target.key.id}/rotate`, { method: "POST", key: admin.secret, body }));
    expect((await errorOf(await rotate({ gracePeriodSeconds: 604801 }))).message).toMatch(/^gracePeriodSeconds: /);
    expect((await errorOf(await rotate({ gracePeriodSeconds: "1h" }))).message).toMatch(/^gracePeriodSeconds: /);
    const res = await rotate({ gracePeriodSeconds: 3600 });
    expect(res.status).toBe(200);
    const rotated = await res.json();
    expect(rotated.key.id).toBe(target.key.id);
    expect(rotated.secret).not.toBe(target.secret);
    expect((await api(apiRequest("/api/v1/whoami", { key: rotated.secret }))).status).toBe(200);
    expect((await api(apiRequest("/api/v1/whoami", { key: target.secret }))).status).toBe(200);
    // The grace ends: move its end into the past, as time passing would.
    await db.apiKey.update({ where: { id: target.key.id }, data: { previousExpiresAt: new Date(Date.now() - 1) } });
    invalidateCachedKey(target.key.id);
    expect(await errorOf(await api(apiRequest("/api/v1/whoami", { key: target.secret })))).toMatchObject({
      status: 401,
      code: "invalid_key",
    });
    expect((await api(apiRequest("/api/v1/whoami", { key: rotated.secret }))).status).toBe(200);
  });

  it("rotate with no body means no grace: the old secret stops at once", async () => {
    const [admin, target] = await newUserKeys(["admin"], ["read"]);
    expect((await api(apiRequest("/api/v1/whoami", { key: target.secret }))).status).toBe(200);
    const res = await api(apiRequest(`/api/v1/keys/${target.key.id}/rotate`, { method: "POST", key: admin.secret }));
    expect(res.status).toBe(200);
    expect(await errorOf(await api(apiRequest("/api/v1/whoami", { key: target.secret })))).toMatchObject({
      status: 401,
      code: "invalid_key",
    });
  });

  it("revoke is idempotent: the same answer, one audit event", async () => {
    const [admin, target] = await newUserKeys(["admin"], ["read"]);
    const first = await (
      await api(apiRequest(`/api/v1/keys/${target.key.id}/revoke`, { method: "POST", key: admin.secret }))
    ).json();
    const second = await api(apiRequest(`/api/v1/keys/${target.key.id}/revoke`, { method: "POST", key: admin.secret }));
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(first);
    expect(await db.auditEvent.count({ where: { keyId: target.key.id, action: "key.revoked" } })).toBe(1);
  });

  it("records lastUsedAt in a batch, not per request", async () => {
    const [a, b] = await newUserKeys(["read"], ["read"]);
    for (let i = 0; i < 5; i++) {
      await api(apiRequest("/api/v1/whoami", { key: a.secret }));
      await api(apiRequest("/api/v1/whoami", { key: b.secret }));
    }
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: a.key.id } })).lastUsedAt).toBeNull();
    await flushLastUsed();
    const rows = await db.apiKey.findMany({ where: { id: { in: [a.key.id, b.key.id] } } });
    for (const row of rows) expect(row.lastUsedAt).toBeInstanceOf(Date);
  });
});

describe("lastUsedAt under load", () => {
  // The fault: while uses kept arriving the writer went on writing back to back, about a hundred UPDATEs a second for
  // one busy key on PostgreSQL, where one a second was the design. A trigger counts the UPDATEs the database receives.
  it("is written about once a second for a key used continuously, with the key's latest use", async () => {
    const [busy] = await newUserKeys(["read"]);
    await flushLastUsed();
    await db.$executeRawUnsafe(`CREATE TABLE last_used_writes (n int)`);
    await db.$executeRawUnsafe(`CREATE FUNCTION count_last_used() RETURNS trigger AS $$
      BEGIN INSERT INTO last_used_writes VALUES (1); RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER count_last_used AFTER UPDATE OF "lastUsedAt" ON "ApiKey"
      FOR EACH ROW EXECUTE FUNCTION count_last_used()`);
    try {
      const started = Date.now();
      let last = 0;
      while (Date.now() - started < 2_300) {
        last = Date.now();
        markKeyUsed(busy.key.id, last);
        // Uses keep arriving while any write is in progress, as under load.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await flushLastUsed();
      const [{ writes }] = await db.$queryRawUnsafe<{ writes: number }[]>(
        `SELECT count(*)::int AS writes FROM last_used_writes`,
      );
      // 2.3 s of uses: two or three timer writes and the flush.
      expect(writes).toBeGreaterThanOrEqual(1);
      expect(writes).toBeLessThanOrEqual(4);
      expect((await db.apiKey.findUniqueOrThrow({ where: { id: busy.key.id } })).lastUsedAt?.getTime()).toBe(last);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER count_last_used ON "ApiKey"`);
      await db.$executeRawUnsafe(`DROP FUNCTION count_last_used`);
      await db.$executeRawUnsafe(`DROP TABLE last_used_writes`);
    }
  });
});

describe("POST /api/v1/verify while KEYHOLD_SERVICE_TOKEN is unset", () => {
  it("answers 404 not_found", async () => {
    const res = await api(
      apiRequest("/api/v1/verify", { method: "POST", key: "anything-at-all-really", body: { key: "x" } }),
    );
    expect(await errorOf(res)).toMatchObject({ status: 404, code: "not_found" });
  });

  it("PUT /api/v1/permissions answers 404 not_found too", async () => {
    const res = await api(
      apiRequest("/api/v1/permissions", { method: "PUT", key: "anything-at-all-really", body: { permissions: [] } }),
    );
    expect(await errorOf(res)).toMatchObject({ status: 404, code: "not_found" });
  });
});
