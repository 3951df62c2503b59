// Leak to revocation through the real API: GitHub's signed secret scanning messages (a key pair made here, its public
// key in GITHUB_SECRET_SCANNING_KEYS_FILE) and the public report endpoint; the leak response (revoke or notify), the
// audit trail, the key.leaked event, the admins' mail (a real SMTP server started here), the per-IP limit, and that a
// string failing the checksum costs no database query.
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { emitEvent } from "@/lib/events/emit";
import { generateKey } from "@/lib/keys/format";
import { hashKey } from "@/lib/keys/hash";
import { createKey, revokeKey, rotateKey } from "@/lib/keys/service";
import { verifyKey } from "@/lib/keys/verify";
import { handleLeak } from "@/lib/leaks/service";
import { LEAK_REPORTS_PER_MINUTE, leakReportsIdle } from "@/lib/leaks/report";
import { mailIdle } from "@/lib/mail";
import { KeyRateLimiter, setRateLimiter } from "@/lib/ratelimit/limiter";
import { api, apiRequest, createUser, fromPeer, makeKey, ownerActor, personalOrg } from "../helpers/keys";
import { countQueries, withTestDb } from "../helpers/db";
import { startMailInbox } from "../helpers/smtp";
import { createTeam } from "../helpers/org-team";
import { startReceiver } from "../helpers/receiver";
import { Webhook } from "standardwebhooks";
import { runDueDeliveries } from "@/lib/webhooks/deliver";
import { createWebhook } from "@/lib/webhooks/endpoints";

// The real emitEvent still runs (the outbox once the webhooks branch is merged); the test also sees each call.
vi.mock("@/lib/events/emit", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/events/emit")>();
  return { ...original, emitEvent: vi.fn(original.emitEvent) };
});

const ecKeyPair = () => generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const github = ecKeyPair();
const stranger = ecKeyPair();
const GITHUB_KEY_ID = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a";

const keysFile = path.join(mkdtempSync(path.join(tmpdir(), "keyhold-gh-")), "secret-scanning-keys.json");
writeFileSync(
  keysFile,
  JSON.stringify({
    public_keys: [
      {
        key_identifier: GITHUB_KEY_ID,
        key: github.publicKey.export({ type: "spki", format: "pem" }),
        is_current: true,
      },
    ],
  }),
);
vi.stubEnv("GITHUB_SECRET_SCANNING_KEYS_FILE", keysFile);

const mailServer = await startMailInbox({ unfold: true });
const inbox = mailServer.inbox;
// The key.leaked webhook goes to a receiver on loopback.
vi.stubEnv("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
afterAll(() => mailServer.close());

const db = withTestDb();

beforeEach(() => {
  // A fresh per-IP count for every test.
  setRateLimiter(new KeyRateLimiter({ kind: "memory" }));
  vi.mocked(emitEvent).mockClear();
});

// A GitHub secret scanning message: the raw body, signed as GitHub signs it unless told otherwise.
function githubRequest(
  body: string,
  opts: { signer?: KeyObject; keyId?: string; signature?: string; omit?: "identifier" | "signature" } = {},
) {
  const signature =
    opts.signature ?? sign("sha256", Buffer.from(body), opts.signer ?? github.privateKey).toString("base64");
  const headers: Record<string, string> = {};
  if (opts.omit !== "identifier") headers["Github-Public-Key-Identifier"] = opts.keyId ?? GITHUB_KEY_ID;
  if (opts.omit !== "signature") headers["Github-Public-Key-Signature"] = signature;
  return apiRequest("/api/v1/leaks/github", { method: "POST", rawBody: body, headers });
}

const match = (token: string, url = "https://github.com/octo/app/blob/abc123/.env") => ({
  token,
  type: "keyhold_api_key",
  url,
  source: "commit",
});

// A well-formed key with one character changed: it fails the checksum.
function typo(secret: string): string {
  const i = 20;
  return secret.slice(0, i) + (secret[i] === "a" ? "b" : "a") + secret.slice(i + 1);
}

// The key.leaked events emitted since the last test began (keys made by the tests emit key.created too).
function leakedEvents() {
  return vi
    .mocked(emitEvent)
    .mock.calls.map((c) => c[1])
    .filter((e) => e.type === "key.leaked");
}

async function leakAudits(keyId: string) {
  return db.current.client.auditEvent.findMany({
    where: { keyId, action: "key.leaked" },
    orderBy: { createdAt: "asc" },
  });
}

function report(body: unknown, peer = "203.0.113.7") {
  return api(apiRequest("/api/v1/leaks/report", { method: "POST", body, headers: fromPeer(peer) }));
}

describe("POST /api/v1/leaks/github", () => {
  it("labels a real key, a revoked key and a checksum-invalid string; revokes the real one at once, audits, emits, mails", async () => {
    const owner = await createUser("gh-owner");
    const live = await makeKey(owner.id, ["read"], { name: "ci-deploy" });
    const old = await makeKey(owner.id, ["read"], { name: "old" });
    await revokeKey(await ownerActor(owner.id), old.key.id, { ip: null });
    const bogus = typo(generateKey("live").secret);
    const url = "https://github.com/octo/app/blob/abc123/.env";
    const body = JSON.stringify([match(live.secret, url), match(old.secret, url), match(bogus, url)]);

    const res = await api(githubRequest(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { token_hash: hashKey(live.secret), token_type: "keyhold_api_key", label: "true_positive" },
      { token_hash: hashKey(old.secret), token_type: "keyhold_api_key", label: "true_positive" },
      { token_hash: hashKey(bogus), token_type: "keyhold_api_key", label: "false_positive" },
    ]);

    // Refused right away: the answer came after the revocation committed and the cache was invalidated.
    expect(await verifyKey({ secret: live.secret })).toMatchObject({ ok: false, code: "revoked_key" });
    const org = await personalOrg(owner.id);
    expect(await leakAudits(live.key.id)).toMatchObject([
      {
        organizationId: org.id,
        actorId: null,
        metadata: {
          source: "github",
          url,
          action: "revoked",
          name: "ci-deploy",
          prefix: live.key.prefix,
          githubType: "keyhold_api_key",
          githubSource: "commit",
        },
      },
    ]);
    expect(await db.current.client.auditEvent.count({ where: { keyId: live.key.id, action: "key.revoked" } })).toBe(1);
    // The already revoked key: the place is recorded and audited, nothing revoked again.
    expect(await leakAudits(old.key.id)).toMatchObject([{ metadata: { source: "github", url, action: "none" } }]);
    expect(await db.current.client.auditEvent.count({ where: { keyId: old.key.id, action: "key.revoked" } })).toBe(1);
    expect(await db.current.client.keyLeak.findMany({ where: { organizationId: org.id } })).toHaveLength(2);

    // One key.leaked event, for the key that was acted on, inside the transaction, with no secret in it.
    const calls = leakedEvents();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      organizationId: org.id,
      type: "key.leaked",
      data: {
        key: { id: live.key.id, prefix: live.key.prefix, name: "ci-deploy" },
        source: "github",
        url,
        action: "revoked",
      },
    });
    expect((calls[0].data.key as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect(JSON.stringify(calls[0])).not.toContain(live.secret);

    await mailIdle();
    const mails = inbox.filter((m) => m.to === owner.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].raw).toContain("ci-deploy");
    expect(mails[0].raw).toContain(url);
    expect(mails[0].raw).toContain("revoked");
    expect(mails[0].raw).not.toContain(live.secret);
  });

  it("mails the organization's owners and admins, not its developers or viewers", async () => {
    const [owner, admin, developer, viewer] = await Promise.all(
      ["t-owner", "t-admin", "t-dev", "t-viewer"].map((tag) => createUser(tag)),
    );
    const team = await createTeam(owner.id, [
      { userId: admin.id, role: "admin" },
      { userId: developer.id, role: "developer" },
      { userId: viewer.id, role: "viewer" },
    ]);
    const { secret } = await createKey(
      { organizationId: team.id, userId: developer.id, role: "developer" },
      { name: "team-key", environment: "live", scopes: ["read"], expiresAt: null, ipAllowlist: [], rateLimit: null },
      { ip: null },
    );
    await api(githubRequest(JSON.stringify([match(secret)])));
    await mailIdle();
    const told = inbox.filter((m) => m.raw.includes("team-key")).map((m) => m.to);
    expect(told.sort()).toEqual([admin.email, owner.email].sort());
  });

  it("a message sent again changes nothing and answers the same labels", async () => {
    const owner = await createUser();
    const { key, secret } = await makeKey(owner.id, ["read"]);
    const body = JSON.stringify([match(secret)]);
    const first = await (await api(githubRequest(body))).json();
    const again = await api(githubRequest(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(await leakAudits(key.id)).toHaveLength(1);
    expect(leakedEvents()).toHaveLength(1);
  });

  it("a key found at a second place is recorded again but not revoked twice", async () => {
    const owner = await createUser();
    const { key, secret } = await makeKey(owner.id, ["read"]);
    await api(githubRequest(JSON.stringify([match(secret, "https://github.com/a/b/blob/1/x")])));
    await api(githubRequest(JSON.stringify([match(secret, "https://gist.github.com/c/2")])));
    expect((await leakAudits(key.id)).map((a) => (a.metadata as { action: string }).action)).toEqual([
      "revoked",
      "none",
    ]);
    expect(await db.current.client.auditEvent.count({ where: { keyId: key.id, action: "key.revoked" } })).toBe(1);
  });

  it.each([
    ["a signature by another key", { signer: stranger.privateKey }],
    ["a garbage signature", { signature: "bm90IGEgc2lnbmF0dXJl" }],
    ["no signature header", { omit: "signature" as const }],
    ["no key identifier header", { omit: "identifier" as const }],
    ["an unknown key identifier", { keyId: "f9525bf080f75b3506ca1ead061add62b8633a346606dc5fe544e29231c6ee0d" }],
  ])("401 and nothing changes for %s", async (_what, opts) => {
    const owner = await createUser();
    const { key, secret } = await makeKey(owner.id, ["read"]);
    const res = await api(githubRequest(JSON.stringify([match(secret)]), opts));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: { code: "unauthenticated", message: expect.stringMatching(/Github-Public-Key/) },
    });
    expect(await verifyKey({ secret })).toMatchObject({ ok: true });
    expect(await db.current.client.keyLeak.count({ where: { keyId: key.id } })).toBe(0);
    expect(await leakAudits(key.id)).toHaveLength(0);
    expect(leakedEvents()).toHaveLength(0);
  });

  it("401 for a body changed after signing", async () => {
    const owner = await createUser();
    const { secret } = await makeKey(owner.id, ["read"]);
    const body = JSON.stringify([match(secret)]);
    const signature = sign("sha256", Buffer.from(body), github.privateKey).toString("base64");
    const res = await api(githubRequest(body.replace("commit", "content"), { signature }));
    expect(res.status).toBe(401);
    expect(await verifyKey({ secret })).toMatchObject({ ok: true });
  });

  it("400 naming the field for a signed body that is not GitHub's shape", async () => {
    const malformed = await api(githubRequest("not json"));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "invalid_request", message: /^body: / } });
    const wrong = await api(githubRequest(JSON.stringify([{ token: 42, type: "x", url: "" }])));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: "invalid_request", message: /token/ } });
  });

  it("413 for a body over 8 MB", async () => {
    const res = await api(githubRequest(JSON.stringify([match("x".repeat(9 * 1024 * 1024))])));
    expect(res.status).toBe(413);
  });

  it("accepts an empty url (GitHub may send none)", async () => {
    const owner = await createUser();
    const { key, secret } = await makeKey(owner.id, ["read"]);
    const res = await api(githubRequest(JSON.stringify([{ token: secret, type: "keyhold_api_key", url: "" }])));
    expect(await res.json()).toMatchObject([{ label: "true_positive" }]);
    expect(await leakAudits(key.id)).toMatchObject([{ metadata: { url: null, action: "revoked" } }]);
  });
});

describe("POST /api/v1/leaks/report", () => {
  it("answers the same 202 for a valid key, a checksum-invalid one, an unknown one and garbage; revokes only the valid one", async () => {
    const owner = await createUser("reported");
    const real = await makeKey(owner.id, ["read"]);
    const bystander = await makeKey(owner.id, ["read"]);
    const candidates = [real.secret, typo(bystander.secret), generateKey("test").secret, "hello, world", ""];
    const answers = [];
    for (const key of candidates) {
      const res = await report({ key, url: "https://pastebin.example/raw/abc" });
      answers.push({ status: res.status, body: await res.text(), type: res.headers.get("content-type") });
    }
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ status: 202, body: JSON.stringify({ status: "received" }) });

    await leakReportsIdle();
    expect(await verifyKey({ secret: real.secret })).toMatchObject({ ok: false, code: "revoked_key" });
    expect(await verifyKey({ secret: bystander.secret })).toMatchObject({ ok: true });
    expect(await leakAudits(real.key.id)).toMatchObject([
      { ip: "203.0.113.7", metadata: { source: "report", url: "https://pastebin.example/raw/abc", action: "revoked" } },
    ]);
    expect(await leakAudits(bystander.key.id)).toHaveLength(0);
  });

  it("400 naming the field for a body that fails validation", async () => {
    const cases: [unknown, string][] = [
      [{}, "key"],
      [{ key: 42 }, "key"],
      [{ key: "k".repeat(201) }, "key"],
      [{ key: "kh_live_x", url: "ftp://example.com/x" }, "url"],
      [{ key: "kh_live_x", url: "javascript:alert(1)" }, "url"],
      [{ key: "kh_live_x", url: `https://example.com/${"a".repeat(2048)}` }, "url"],
    ];
    for (const [body, field] of cases) {
      const res = await report(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: "invalid_request", message: expect.stringMatching(new RegExp(`^${field}: `)) },
      });
    }
  });

  it("413 for a body over 16 KB, before reading it", async () => {
    const res = await report({ key: "k", url: `https://example.com/${"a".repeat(20_000)}` });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "payload_too_large" } });
  });

  it(`allows ${LEAK_REPORTS_PER_MINUTE} reports a minute per address, then 429 with Retry-After; other addresses are unaffected`, async () => {
    for (let i = 0; i < LEAK_REPORTS_PER_MINUTE; i++)
      expect((await report({ key: "nope" }, "198.51.100.1")).status).toBe(202);
    const refused = await report({ key: "nope" }, "198.51.100.1");
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await report({ key: "nope" }, "198.51.100.2")).status).toBe(202);
  });

  it("notify policy: the key is marked and the admins told, but it keeps working", async () => {
    const owner = await createUser("notify");
    const org = await personalOrg(owner.id);
    await db.current.client.organization.update({ where: { id: org.id }, data: { leakResponse: "notify" } });
    const { key, secret } = await makeKey(owner.id, ["read"], { name: "notify-me" });
    expect((await report({ key: secret })).status).toBe(202);
    await leakReportsIdle();
    expect(await verifyKey({ secret })).toMatchObject({ ok: true });
    expect(await db.current.client.keyLeak.findMany({ where: { keyId: key.id } })).toMatchObject([
      { source: "report", url: "", action: "notified", secretHash: hashKey(secret) },
    ]);
    expect(await leakAudits(key.id)).toMatchObject([{ metadata: { source: "report", url: null, action: "notified" } }]);
    expect(leakedEvents().map((e) => e.data.action)).toEqual(["notified"]);
    await mailIdle();
    const mails = () => inbox.filter((m) => m.to === owner.email && m.raw.includes("notify-me"));
    expect(mails()).toHaveLength(1);
    expect(mails()[0].raw).toContain("rotate or revoke it now");

    // Found again elsewhere within the hour: recorded, audited and emitted, but the admins are not mailed again.
    expect((await report({ key: secret, url: "https://elsewhere.example/1" })).status).toBe(202);
    await leakReportsIdle();
    expect(await leakAudits(key.id)).toHaveLength(2);
    expect(leakedEvents()).toHaveLength(2);
    expect(mails()).toHaveLength(1);
  });
});

describe("secrets replaced by a rotation", () => {
  it("the previous secret in its grace period revokes the key; after it, it is recorded as dead", async () => {
    const owner = await createUser();
    const actor = await ownerActor(owner.id);
    const graced = await makeKey(owner.id, ["read"]);
    await rotateKey(actor, graced.key.id, 3600, { ip: null });
    expect(await handleLeak({ secret: graced.secret, source: "report", url: null }, { ip: null })).toEqual({
      label: "true_positive",
      action: "revoked",
    });

    const lapsed = await makeKey(owner.id, ["read"]);
    await rotateKey(actor, lapsed.key.id, 3600, { ip: null });
    await db.current.client.apiKey.update({
      where: { id: lapsed.key.id },
      data: { previousExpiresAt: new Date(Date.now() - 1000) },
    });
    expect(await handleLeak({ secret: lapsed.secret, source: "report", url: null }, { ip: null })).toEqual({
      label: "true_positive",
      action: "none",
    });
    expect((await db.current.client.apiKey.findUniqueOrThrow({ where: { id: lapsed.key.id } })).revokedAt).toBeNull();
  });
});

describe("concurrent reports", () => {
  it("of one key at two places revoke it once; of the same place record it once", async () => {
    const owner = await createUser();
    const { key, secret } = await makeKey(owner.id, ["read"]);
    const at = (url: string) => handleLeak({ secret, source: "github", url }, { ip: null });
    const outcomes = await Promise.all([
      at("https://github.com/a/1"),
      at("https://github.com/b/2"),
      at("https://github.com/a/1"),
      at("https://github.com/a/1"),
    ]);
    expect(outcomes.every((o) => o.label === "true_positive")).toBe(true);
    expect(outcomes.map((o) => String(o.action)).sort()).toEqual(["none", "null", "null", "revoked"]);
    expect(await db.current.client.auditEvent.count({ where: { keyId: key.id, action: "key.revoked" } })).toBe(1);
    expect(await db.current.client.keyLeak.count({ where: { keyId: key.id } })).toBe(2);
  });
});

describe("a string failing the checksum", () => {
  it("costs no database query, through the service, the report endpoint and GitHub's", async () => {
    const owner = await createUser();
    const { secret } = await makeKey(owner.id, ["read"]);
    const bad = typo(secret);
    const queries = await countQueries(db.current.client, async () => {
      expect(await handleLeak({ secret: bad, source: "report", url: null }, { ip: null })).toEqual({
        label: "false_positive",
        action: null,
      });
      expect((await report({ key: bad })).status).toBe(202);
      await leakReportsIdle();
      const res = await api(githubRequest(JSON.stringify([match(bad), match("ghp_notours")])));
      expect(await res.json()).toMatchObject([{ label: "false_positive" }, { label: "false_positive" }]);
    });
    expect(queries).toBe(0);
  });

  it("while a well-formed unknown key does query (the counter works)", async () => {
    const unknown = generateKey("live").secret;
    const queries = await countQueries(db.current.client, () =>
      handleLeak({ secret: unknown, source: "report", url: null }, { ip: null }),
    );
    expect(queries).toBeGreaterThan(0);
  });
});

describe("the key.leaked webhook", () => {
  it("a reported key reaches the organization's receiver as signed key.leaked and key.revoked events, no secret", async () => {
    const rx = await startReceiver();
    try {
      const owner = await createUser("hook-owner");
      const actor = await ownerActor(owner.id);
      const { secret: signing } = await createWebhook(
        actor,
        { url: rx.url, events: ["key.leaked", "key.revoked"] },
        { ip: null },
      );
      const leaked = await makeKey(owner.id, ["read"], { name: "pasted" });
      const url = "https://paste.example/raw/xyz";
      expect((await report({ key: leaked.secret, url })).status).toBe(202);
      await leakReportsIdle();
      expect(await runDueDeliveries()).toBe(2);

      const verifier = new Webhook(signing);
      const events = rx.received.map((r) => verifier.verify(r.body, r.headers as Record<string, string>)) as {
        type: string;
        data: Record<string, unknown>;
      }[];
      expect(events.map((e) => e.type).sort()).toEqual(["key.leaked", "key.revoked"]);
      expect(events.find((e) => e.type === "key.leaked")!.data).toMatchObject({
        key: { id: leaked.key.id, name: "pasted", revokedAt: expect.any(String) },
        source: "report",
        url,
        action: "revoked",
      });
      for (const r of rx.received) expect(r.body).not.toContain(leaked.secret);
    } finally {
      await rx.close();
    }
  });
});
