// The CLI's browser sign-in through the real handlers and actions: POST /api/v1/cli/device and /cli/token, approval
// and denial on /cli/authorize's actions (step-up, capability, approval policy), once-only and concurrent collection,
// slow_down, expiry, bad input, and the key revoking itself at logout.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { hashLinkToken } from "@/lib/link-tokens";
import { normaliseUserCode } from "@/lib/validations/cli-device";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, fromPeer } from "../helpers/keys";
import { createMemberAccount, createTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { approveDeviceAction, denyDeviceAction } = await import("@/lib/actions/cli-device");
const { deviceApprovalOptions, pollDeviceToken } = await import("@/lib/cli-device/service");
const { keyStepUpGuard } = await import("@/lib/keys/step-up-policy");

const db = withTestDb();

type Start = {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
};

let peer = 0;
// Each start from its own address, so the per-address limit is only met where a test means it.
async function start(body: unknown = { client_name: "laptop" }, ip = `10.1.0.${++peer}`): Promise<Start> {
  const res = await api(apiRequest("/api/v1/cli/device", { method: "POST", body, headers: fromPeer(ip) }));
  expect(res.status).toBe(200);
  return (await res.json()) as Start;
}

// A poll's answer: the token (200) or the error body.
type PollBody = {
  error: { code: string; message: string };
  secret: string;
  key: { id: string; name: string; scopes: string[]; createdBy: string | null };
  organization: { id: string; slug: string; name: string };
};

async function poll(deviceCode: unknown) {
  const res = await api(apiRequest("/api/v1/cli/token", { method: "POST", body: { device_code: deviceCode } }));
  return { status: res.status, body: (await res.json()) as PollBody };
}

// Lets the next poll through at once, as if the interval had passed.
async function intervalPassed(deviceCode: string) {
  await db.current.client.cliDeviceAuthorization.update({
    where: { deviceCodeHash: hashLinkToken(deviceCode) },
    data: { lastPolledAt: null },
  });
}

// A device sign-in started with `body`, and the approval of it (live, with `scopes`) by `userId`, signed in.
async function approveAs(userId: string, scopes: string[], body?: unknown) {
  const s = await start(body);
  await signInAs(userId);
  const res = await approveDeviceAction({ org: org.slug, code: s.user_code, environment: "live", scopes });
  return { s, res };
}

// A device sign-in started with `body` and approved by the developer (live, read scope); its start answer.
async function approvedByDeveloper(body?: unknown) {
  const { s, res } = await approveAs(developer.id, ["read"], body);
  expect(res.ok).toBe(true);
  return s;
}

let owner = { id: "" };
let developer = { id: "" };
let viewer = { id: "" };
let org = { id: "", slug: "" };

beforeAll(async () => {
  owner = await createMemberAccount("cli-owner", { mfa: true });
  developer = await createMemberAccount("cli-dev");
  viewer = await createMemberAccount("cli-viewer");
  org = await createTeam(owner.id, [
    { userId: developer.id, role: "developer" },
    { userId: viewer.id, role: "viewer" },
  ]);
});

describe("POST /api/v1/cli/device", () => {
  it("answers the codes and stores only their hashes", async () => {
    const s = await start();
    expect(s).toMatchObject({ expires_in: 600, interval: 5 });
    expect(s.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(s.device_code.length).toBeGreaterThanOrEqual(40);
    expect(new URL(s.verification_uri).pathname).toBe("/cli/authorize");
    expect(s.verification_uri_complete).toBe(`${s.verification_uri}?code=${s.user_code}`);
    const rows = await db.current.client.cliDeviceAuthorization.findMany();
    const text = JSON.stringify(rows);
    expect(text).not.toContain(s.device_code);
    expect(text).not.toContain(s.user_code);
    const row = await db.current.client.cliDeviceAuthorization.findUniqueOrThrow({
      where: { deviceCodeHash: hashLinkToken(s.device_code) },
    });
    expect(row).toMatchObject({ clientName: "laptop", status: "pending", userCodeHash: hashLinkToken(s.user_code) });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThanOrEqual(599_000);
  });

  it("accepts an empty body (the machine is then unnamed)", async () => {
    const res = await api(
      new Request("http://localhost/api/v1/cli/device", { method: "POST", headers: fromPeer("10.9.9.9") }),
    );
    expect(res.status).toBe(200);
  });

  it("refuses bad input with 400 naming the field, never 500", async () => {
    const cases: [unknown, string][] = [
      [{ client_name: 7 }, "client_name"],
      [{ client_name: "a\u0000b" }, "client_name"],
      [{ client_name: "line\nbreak" }, "client_name"],
      [{ client_name: "x".repeat(49) }, "client_name"],
      [{ client_name: "ok", extra: true }, "extra"],
    ];
    for (const [body, field] of cases) {
      const res = await api(apiRequest("/api/v1/cli/device", { method: "POST", body, headers: fromPeer("10.9.9.8") }));
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(error.code).toBe("invalid_request");
      expect(error.message).toContain(field);
    }
    for (const body of [{}, { device_code: 5 }, { device_code: "a\u0000b" }, { device_code: "x".repeat(500) }]) {
      const { status, body: answer } = await poll((body as { device_code?: unknown }).device_code);
      expect(status).toBe(400);
      expect(answer.error.code).toBe("invalid_request");
      expect(answer.error.message).toContain("device_code");
    }
    const malformed = await api(apiRequest("/api/v1/cli/token", { method: "POST", rawBody: "{nope" }));
    expect(malformed.status).toBe(400);
  });

  it("is rate limited per address: the 11th start in a minute is 429 with Retry-After", async () => {
    for (let i = 0; i < 10; i++) await start({}, "10.200.0.1");
    const res = await api(
      apiRequest("/api/v1/cli/device", { method: "POST", body: {}, headers: fromPeer("10.200.0.1") }),
    );
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });
});

describe("POST /api/v1/cli/token", () => {
  it("pending → slow_down when polled too fast (interval + 5) → approved → the key once, created by the approver", async () => {
    const s = await start({ client_name: "build-box" });
    expect((await poll(s.device_code)).body.error.code).toBe("authorization_pending");
    const fast = await poll(s.device_code);
    expect(fast.status).toBe(400);
    expect(fast.body.error.code).toBe("slow_down");
    expect(fast.body.error.message).toContain("10 seconds");

    await signInAs(developer.id);
    const approved = await approveDeviceAction({
      org: org.slug,
      code: s.user_code.toLowerCase().replace("-", ""),
      environment: "test",
      scopes: ["read", "write"],
    });
    expect(approved).toMatchObject({ ok: true, data: { clientName: "build-box" } });

    await intervalPassed(s.device_code);
    const got = await poll(s.device_code);
    expect(got.status).toBe(200);
    expect(got.body.secret).toMatch(/^kh_test_/);
    expect(got.body.organization).toEqual({ id: org.id, slug: org.slug, name: "Acme" });
    expect(got.body.key).toMatchObject({
      name: "CLI on build-box",
      scopes: ["read", "write"],
      createdBy: developer.id,
    });

    // The key works, and says who it is.
    const who = await api(apiRequest("/api/v1/whoami", { key: got.body.secret }));
    expect(who.status).toBe(200);
    // Audited as a key creation by the approving member.
    const audit = await db.current.client.auditEvent.findFirstOrThrow({
      where: { action: "key.created", keyId: got.body.key.id },
    });
    expect(audit.userId).toBe(developer.id);

    // Once only: the next poll finds nothing to give.
    await intervalPassed(s.device_code);
    const again = await poll(s.device_code);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe("expired_token");
    expect(JSON.stringify(again.body)).not.toContain(got.body.secret);

    // A second sign-in from the same machine gets a name of its own.
    const s2 = await start({ client_name: "build-box" });
    expect(
      (await approveDeviceAction({ org: org.slug, code: s2.user_code, environment: "test", scopes: ["read"] })).ok,
    ).toBe(true);
    expect((await poll(s2.device_code)).body.key.name).toBe("CLI on build-box (2)");
  });

  it("concurrent polls after approval hand the secret out exactly once", async () => {
    const s = await approvedByDeveloper({ client_name: "racer" });
    const results = await Promise.all(Array.from({ length: 8 }, () => poll(s.device_code)));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200))
      expect(["slow_down", "expired_token"]).toContain(r.body.error.code);
    // Even with the interval out of the way, a racing second claim cannot create another key.
    await intervalPassed(s.device_code);
    const racing = await Promise.all(Array.from({ length: 4 }, () => poll(s.device_code)));
    expect(racing.every((r) => r.status === 400)).toBe(true);
    expect(await db.current.client.apiKey.count({ where: { name: { startsWith: "CLI on racer" } } })).toBe(1);
  });

  it("polls that each waited their interval (injected clocks) and race past it still create one key", async () => {
    const s = await approvedByDeveloper({ client_name: "clocked" });
    const t = Date.now();
    // Every poll passes the interval check (6 s apart on its own clock), so only the claim's one conditional write
    // stands between them and a second key.
    const results = await Promise.allSettled(
      [0, 6, 12, 18, 24].map((s6) => pollDeviceToken(s.device_code, null, new Date(t + s6 * 1000))),
    );
    const fulfilled = results.filter((r) => r.status === "fulfilled");
    expect(fulfilled).toHaveLength(1);
    // (A poll whose clock is behind one already stamped is told to slow down.)
    for (const r of results)
      if (r.status === "rejected")
        expect(["expired_token", "slow_down"]).toContain((r.reason as { code: string }).code);
    expect(await db.current.client.apiKey.count({ where: { name: { startsWith: "CLI on clocked" } } })).toBe(1);
  });

  it("an injected clock past the 10 minutes expires the code", async () => {
    const s = await start();
    await expect(pollDeviceToken(s.device_code, null, new Date(Date.now() + 601_000))).rejects.toMatchObject({
      code: "expired_token",
    });
  });

  it("denied in the browser → access_denied; the code cannot be approved afterwards", async () => {
    const s = await start();
    await signInAs(developer.id);
    expect(await denyDeviceAction({ code: s.user_code })).toMatchObject({ ok: true });
    const denied = await poll(s.device_code);
    expect(denied).toMatchObject({ status: 400, body: { error: { code: "access_denied" } } });
    const late = await approveDeviceAction({ org: org.slug, code: s.user_code, environment: "live", scopes: ["read"] });
    expect(late).toMatchObject({ ok: false, code: "invalid_request" });
  });

  it("expires after 10 minutes: approval and polls both refuse", async () => {
    const s = await start();
    await db.current.client.cliDeviceAuthorization.update({
      where: { deviceCodeHash: hashLinkToken(s.device_code) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await signInAs(developer.id);
    const late = await approveDeviceAction({ org: org.slug, code: s.user_code, environment: "live", scopes: ["read"] });
    expect(late).toMatchObject({ ok: false, code: "invalid_request" });
    expect((await poll(s.device_code)).body.error.code).toBe("expired_token");
  });

  it("an approved code that expires before the CLI collects it gives no key", async () => {
    const s = await approvedByDeveloper();
    await db.current.client.cliDeviceAuthorization.update({
      where: { deviceCodeHash: hashLinkToken(s.device_code) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await poll(s.device_code)).body.error.code).toBe("expired_token");
  });

  it("an unknown device code is expired_token", async () => {
    expect((await poll("not-a-code")).body.error.code).toBe("expired_token");
  });
});

describe("approval on /cli/authorize", () => {
  it("a viewer cannot approve (keys.create), and is offered no organization", async () => {
    const { s, res } = await approveAs(viewer.id, ["read"]);
    expect(res).toMatchObject({ ok: false, code: "forbidden" });
    const user = await db.current.client.user.findUniqueOrThrow({ where: { id: viewer.id } });
    const options = await deviceApprovalOptions(user, "laptop", () => undefined);
    expect(options.map((o) => o.slug)).not.toContain(org.slug);
    expect((await poll(s.device_code)).body.error.code).toBe("authorization_pending");
  });

  it("with MFA enrolled the approval needs a fresh step-up", async () => {
    const s = await start();
    await signInAs(owner.id);
    const stale = await approveDeviceAction({
      org: org.slug,
      code: s.user_code,
      environment: "live",
      scopes: ["admin"],
    });
    expect(stale).toMatchObject({ ok: false, code: "step_up_required" });
    await signInAs(owner.id, { stepUp: true });
    const fresh = await approveDeviceAction({
      org: org.slug,
      code: s.user_code,
      environment: "live",
      scopes: ["admin"],
    });
    expect(fresh.ok).toBe(true);
    expect((await poll(s.device_code)).body.key).toMatchObject({ scopes: ["admin"], createdBy: owner.id });
  });

  it("admin scope needs MFA enrolled: not offered to, and refused for, a member without it", async () => {
    const { res } = await approveAs(developer.id, ["admin"]);
    expect(res).toMatchObject({ ok: false, code: "mfa_required" });
    const user = await db.current.client.user.findUniqueOrThrow({ where: { id: developer.id } });
    const current = { user, token: {} };
    const options = await deviceApprovalOptions(user, "laptop", keyStepUpGuard(current));
    expect(options.find((o) => o.slug === org.slug)?.scopes).toEqual(["read", "write"]);
  });

  it("under an approval policy the developer is refused with the reason, and offered no scope", async () => {
    const team = await createTeam(owner.id, [{ userId: developer.id, role: "developer" }]);
    await db.current.client.organization.update({ where: { id: team.id }, data: { keyRequestPolicy: "always" } });
    const s = await start();
    await signInAs(developer.id);
    const res = await approveDeviceAction({ org: team.slug, code: s.user_code, environment: "live", scopes: ["read"] });
    expect(res).toMatchObject({ ok: false, code: "forbidden" });
    expect(res.ok ? "" : res.message).toMatch(/approval/);
    const user = await db.current.client.user.findUniqueOrThrow({ where: { id: developer.id } });
    const option = (await deviceApprovalOptions(user, "laptop", () => undefined)).find((o) => o.slug === team.slug);
    expect(option).toMatchObject({ scopes: [] });
    expect(option?.refusal).toMatch(/approval/);
  });

  it("a member removed between approval and collection gets access_denied, and no key is made", async () => {
    const leaver = await createMemberAccount("cli-leaver");
    const team = await createTeam(owner.id, [{ userId: leaver.id, role: "developer" }]);
    const s = await start({ client_name: "leaver-box" });
    await signInAs(leaver.id);
    expect(
      (await approveDeviceAction({ org: team.slug, code: s.user_code, environment: "live", scopes: ["read"] })).ok,
    ).toBe(true);
    await db.current.client.membership.deleteMany({ where: { organizationId: team.id, userId: leaver.id } });
    const res = await poll(s.device_code);
    expect(res).toMatchObject({ status: 400, body: { error: { code: "access_denied" } } });
    expect(await db.current.client.apiKey.count({ where: { name: "CLI on leaver-box" } })).toBe(0);
  });

  it("codes are normalised as typed and refused naming the field when malformed", () => {
    expect(normaliseUserCode("bcdf ghjk")).toBe("BCDF-GHJK");
    expect(normaliseUserCode("BCDF-GHJA")).toBeNull();
  });

  it("a malformed code is invalid_request on the code field", async () => {
    await signInAs(developer.id);
    const res = await approveDeviceAction({ org: org.slug, code: "AAAA\u0000", environment: "live", scopes: ["read"] });
    expect(res).toMatchObject({ ok: false, code: "invalid_request" });
    expect(res.ok ? {} : res.fieldErrors).toHaveProperty("code");
  });
});

describe("POST /api/v1/cli/logout", () => {
  it("a key from the browser sign-in revokes itself (even read-only); any other key is refused", async () => {
    const s = await start({ client_name: "leaving" });
    await signInAs(developer.id);
    await approveDeviceAction({ org: org.slug, code: s.user_code, environment: "live", scopes: ["read"] });
    const { body } = await poll(s.device_code);
    const out = await api(apiRequest("/api/v1/cli/logout", { method: "POST", key: body.secret }));
    expect(out.status).toBe(200);
    expect(((await out.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    const after = await api(apiRequest("/api/v1/whoami", { key: body.secret }));
    expect(after.status).toBe(401);

    // A key made in the dashboard is not the CLI's to revoke.
    const other = await start({ client_name: "other" });
    await approveDeviceAction({ org: org.slug, code: other.user_code, environment: "live", scopes: ["read"] });
    const token = (await poll(other.device_code)).body;
    await db.current.client.cliDeviceAuthorization.updateMany({
      where: { keyId: token.key.id },
      data: { keyId: null },
    });
    const refused = await api(apiRequest("/api/v1/cli/logout", { method: "POST", key: token.secret }));
    expect(refused.status).toBe(403);
  });
});
