// Key requests end to end through the real actions as signed-in members: a developer's admin-scope key needs approval
// under the admin_scope policy, an admin approves with a step-up, the developer reveals the secret once (the key is made
// then and verifies); a second or concurrent reveal makes no second key; denial with a reason; expiry after 7 days.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ApiError } from "@/lib/errors";
import { createKey } from "@/lib/keys/service";
import { verifyKey } from "@/lib/keys/verify";
import { approveKeyRequest, REQUEST_EXPIRED, REQUEST_LIFETIME_MS } from "@/lib/orgs/key-requests";
import { findMembership, pendingRequestCounts } from "@/lib/orgs/organizations";
import type { CreateKeyRequestInput } from "@/lib/validations/organizations";
import { withTestDb } from "../helpers/db";
import { createMemberAccounts, createTeam, signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { generateKeyAction } = await import("@/lib/actions/keys");
const { createKeyRequestAction, approveKeyRequestAction, denyKeyRequestAction, revealKeyRequestAction } =
  await import("@/lib/actions/key-requests");

const db = withTestDb();
let org = "";
let orgId = "";
const ids = { owner: "", admin: "", developer: "", developer2: "", viewer: "", outsider: "" };

// An action's refusal with `code`.
const refusal = (code: string) => ({ ok: false, code });
// An action's refusal for want of a recent step-up.
const STEP_UP_REQUIRED = refusal("step_up_required");

// The answer of `action` on the request `id` from `userId`, signed in (with a step-up when `stepUp`).
async function answerAs(
  userId: string,
  stepUp: boolean,
  action: (input: { org: string; id: string }) => unknown,
  id: string,
) {
  await signInAs(userId, { stepUp });
  return action({ org, id });
}

// A key request's status as stored.
const statusOf = async (id: string) => (await db.current.client.keyRequest.findUniqueOrThrow({ where: { id } })).status;

const adminKey = (name: string) => ({ name, environment: "live" as const, scopes: ["admin"], reason: "CI deploys" });

// A request submitted by the developer; its id.
async function submit(name: string): Promise<string> {
  await signInAs(ids.developer);
  const result = await createKeyRequestAction({ org, ...adminKey(name) });
  if (!result.ok) throw new Error(result.message);
  return result.data.id;
}

async function approve(id: string) {
  await signInAs(ids.admin, { stepUp: true });
  return approveKeyRequestAction({ org, id });
}

async function reveal(id: string) {
  await signInAs(ids.developer, { stepUp: true });
  return revealKeyRequestAction({ org, id });
}

beforeAll(async () => {
  const mfa = { owner: true, admin: true, developer: true, developer2: true, viewer: false, outsider: false };
  Object.assign(ids, await createMemberAccounts(mfa));
  const team = await createTeam(ids.owner, [
    { userId: ids.admin, role: "admin" },
    { userId: ids.developer, role: "developer" },
    { userId: ids.developer2, role: "developer" },
    { userId: ids.viewer, role: "viewer" },
  ]);
  await db.current.client.organization.update({ where: { id: team.id }, data: { keyRequestPolicy: "admin_scope" } });
  org = team.slug;
  orgId = team.id;
});

describe("the approval flow", () => {
  let requestId = "";
  let secret = "";

  it("a developer's direct admin-scope key is refused with approval_required; a read key is not", async () => {
    await signInAs(ids.developer, { stepUp: true });
    const direct = await generateKeyAction({ org, name: "direct", environment: "live", scopes: ["admin"] });
    expect(direct).toMatchObject({ ok: false, code: "forbidden", message: expect.stringMatching(/key request/) });
    const refusal = await createKey(
      { organizationId: orgId, userId: ids.developer, role: "developer" },
      { name: "direct", environment: "live", scopes: ["admin"], expiresAt: null, ipAllowlist: [], rateLimit: null },
      { ip: null },
    ).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ code: "forbidden", reason: "approval_required" });
    expect(await generateKeyAction({ org, name: "plain", environment: "live", scopes: ["read"] })).toMatchObject({
      ok: true,
    });
    expect(await db.current.client.apiKey.count({ where: { organizationId: orgId, name: "direct" } })).toBe(0);
  });

  it("the developer submits a request; the reason is required; viewers and outsiders are refused", async () => {
    await signInAs(ids.developer);
    const withoutReason = { org, name: "deploy", environment: "live", scopes: ["admin"] };
    const noReason = await createKeyRequestAction(withoutReason as CreateKeyRequestInput & { org: string });
    expect(noReason).toMatchObject({ ok: false, code: "invalid_request", fieldErrors: { reason: expect.any(String) } });
    const blank = await createKeyRequestAction({ org, ...adminKey("deploy"), reason: "   " });
    expect(blank).toMatchObject({ ok: false, fieldErrors: { reason: "Reason is required" } });

    requestId = await submit("deploy");
    const row = await db.current.client.keyRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(row).toMatchObject({ status: "pending", requesterId: ids.developer, scopes: ["admin"] });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(REQUEST_LIFETIME_MS);
    expect(await db.current.client.auditEvent.count({ where: { action: "key_request.created" } })).toBe(1);
    expect(await pendingRequestCounts(ids.admin)).toEqual({ [org]: 1 });

    await signInAs(ids.viewer);
    expect(await createKeyRequestAction({ org, ...adminKey("viewer") })).toMatchObject({
      ok: false,
      code: "forbidden",
    });
    await signInAs(ids.outsider);
    expect(await createKeyRequestAction({ org, ...adminKey("outsider") })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect(await db.current.client.keyRequest.count()).toBe(1);
  });

  it("nothing to reveal before approval; developers cannot approve; admins need a step-up", async () => {
    expect(await reveal(requestId)).toMatchObject({ ok: false, code: "conflict", message: /waiting/ });
    expect(await answerAs(ids.developer2, true, approveKeyRequestAction, requestId)).toMatchObject(
      refusal("forbidden"),
    );
    expect(await answerAs(ids.admin, false, approveKeyRequestAction, requestId)).toMatchObject(STEP_UP_REQUIRED);
    expect(await statusOf(requestId)).toBe("pending");
  });

  it("the admin approves with a step-up; a second decision is refused", async () => {
    expect(await approve(requestId)).toMatchObject({ ok: true });
    expect(await db.current.client.keyRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: "approved",
      decidedById: ids.admin,
      keyId: null,
    });
    expect(await approve(requestId)).toMatchObject({ ok: false, code: "conflict" });
    await signInAs(ids.admin);
    expect(await denyKeyRequestAction({ org, id: requestId, reason: "changed my mind" })).toMatchObject({
      ok: false,
      code: "conflict",
    });
    expect(await pendingRequestCounts(ids.admin)).toEqual({});
    // No key exists yet: it is made when the requester reveals it.
    expect(await db.current.client.apiKey.count({ where: { name: "deploy" } })).toBe(0);
  });

  it("only the requester can reveal, and only with a step-up", async () => {
    expect(await answerAs(ids.developer2, true, revealKeyRequestAction, requestId)).toMatchObject(refusal("not_found"));
    expect(await answerAs(ids.admin, true, revealKeyRequestAction, requestId)).toMatchObject(refusal("not_found"));
    expect(await answerAs(ids.developer, false, revealKeyRequestAction, requestId)).toMatchObject(STEP_UP_REQUIRED);
    expect(await statusOf(requestId)).toBe("approved");
  });

  it("the requester reveals the secret once; the key is theirs and verifies", async () => {
    const result = await reveal(requestId);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    secret = result.data.secret;
    expect(result.data.key).toMatchObject({ name: "deploy", scopes: ["admin"], createdBy: ids.developer });
    const row = await db.current.client.keyRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(row).toMatchObject({ status: "revealed", keyId: result.data.key.id });
    const verified = await verifyKey({ secret, scope: "admin" });
    expect(verified).toMatchObject({ ok: true, key: { id: result.data.key.id } });
    const audit = await db.current.client.auditEvent.findFirstOrThrow({ where: { action: "key_request.revealed" } });
    expect(audit).toMatchObject({ organizationId: orgId, userId: ids.developer, keyId: result.data.key.id });
    expect(JSON.stringify(audit.metadata)).not.toContain(secret);
  });

  it("a second reveal is refused and makes no key", async () => {
    expect(await reveal(requestId)).toMatchObject({ ok: false, code: "conflict", message: /already revealed/ });
    expect(await db.current.client.apiKey.count({ where: { name: "deploy" } })).toBe(1);
  });

  it("two concurrent reveals give one key", async () => {
    const id = await submit("concurrent");
    expect(await approve(id)).toMatchObject({ ok: true });
    await signInAs(ids.developer, { stepUp: true });
    const results = await Promise.all([
      revealKeyRequestAction({ org, id }),
      revealKeyRequestAction({ org, id }),
      revealKeyRequestAction({ org, id }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) expect(r).toMatchObject({ code: "conflict" });
    expect(await db.current.client.apiKey.count({ where: { name: "concurrent" } })).toBe(1);
    expect(await db.current.client.auditEvent.count({ where: { action: "key_request.revealed" } })).toBe(2);
  });
});

describe("denial", () => {
  it("an admin denies with a reason the requester sees; the request cannot be revealed", async () => {
    const id = await submit("denied");
    await signInAs(ids.admin);
    expect(await denyKeyRequestAction({ org, id } as { org: string; id: string; reason: string })).toMatchObject({
      ok: false,
      fieldErrors: { reason: expect.any(String) },
    });
    expect(await denyKeyRequestAction({ org, id, reason: "Use a write key" })).toMatchObject({ ok: true });
    expect(await db.current.client.keyRequest.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "denied",
      denyReason: "Use a write key",
      decidedById: ids.admin,
    });
    const audit = await db.current.client.auditEvent.findFirstOrThrow({ where: { action: "key_request.denied" } });
    expect(audit.metadata).toMatchObject({ requestId: id, reason: "Use a write key" });
    expect(await reveal(id)).toMatchObject({ ok: false, code: "conflict", message: "This request was denied" });
    expect(await approve(id)).toMatchObject({ ok: false, code: "conflict" });
  });

  it("another organization's request is not found", async () => {
    const id = await submit("elsewhere");
    const other = await createTeam(ids.outsider, [{ userId: ids.admin, role: "admin" }]);
    await signInAs(ids.admin, { stepUp: true });
    expect(await approveKeyRequestAction({ org: other.slug, id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await denyKeyRequestAction({ org: other.slug, id, reason: "no" })).toMatchObject({
      ok: false,
      code: "not_found",
    });
  });
});

describe("expiry after 7 days", () => {
  const lapse = (id: string) =>
    db.current.client.keyRequest.update({
      where: { id },
      data: { createdAt: new Date(Date.now() - 8 * 86_400_000), expiresAt: new Date(Date.now() - 86_400_000) },
    });

  it("a pending request past its 7 days cannot be approved or denied and leaves the queue", async () => {
    const before = (await pendingRequestCounts(ids.admin))[org];
    const id = await submit("lapsed-pending");
    await lapse(id);
    expect(await approve(id)).toMatchObject({ ok: false, code: "conflict", message: REQUEST_EXPIRED });
    await signInAs(ids.admin);
    expect(await denyKeyRequestAction({ org, id, reason: "late" })).toMatchObject({
      ok: false,
      message: REQUEST_EXPIRED,
    });
    expect((await pendingRequestCounts(ids.admin))[org]).toBe(before);
  });

  it("an approved request not revealed within 7 days cannot be revealed", async () => {
    const id = await submit("lapsed-approved");
    expect(await approve(id)).toMatchObject({ ok: true });
    await lapse(id);
    expect(await reveal(id)).toMatchObject({ ok: false, code: "conflict", message: REQUEST_EXPIRED });
    expect(await db.current.client.apiKey.count({ where: { name: "lapsed-approved" } })).toBe(0);
  });

  it("with an injected clock: a request approved 7 days and a minute after it was made is expired", async () => {
    const id = await submit("clock");
    const admin = (await findMembership(ids.admin, org))!;
    const later = new Date(Date.now() + REQUEST_LIFETIME_MS + 60_000);
    await expect(approveKeyRequest(admin, id, { ip: null }, later)).rejects.toMatchObject({
      code: "conflict",
      message: REQUEST_EXPIRED,
    });
    await expect(approveKeyRequest(admin, id, { ip: null })).resolves.toMatchObject({ status: "approved" });
  });
});
