// Every key-changing dashboard action refuses without a fresh step-up when MFA is enrolled (and admin scope without
// MFA at all), enforced on the server. The actions, session decoding and database are real; only Next's request
// context (cookies, headers, revalidation) is supplied by the test, since no HTTP request surrounds the call.
import { generateSync } from "otplib";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { createKey } from "@/lib/keys/service";
import { confirmEnrolment, startEnrolment } from "@/lib/mfa/service";
import type { Scope } from "@/lib/generated/prisma/enums";
import { STEP_UP_WINDOW_MS } from "@/lib/mfa/step-up";
import { withTestDb } from "../helpers/db";
import { withSession } from "../helpers/next-request";
import { signInAs } from "../helpers/org-team";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { generateKeyAction, updateKeyAction, rotateKeyAction, revokeKeyAction } = await import("@/lib/actions/keys");

const db = withTestDb();
const password = "a long enough password";
let mfaUserId = "";
let plainUserId = "";
// Each account's personal organization (id and slug): the actions name it by slug.
let mfaOrg = { id: "", slug: "" };
let plainOrg = { id: "", slug: "" };

beforeAll(async () => {
  const mfaUser = await createAccount({ email: "guarded@example.com", password, confirmPassword: password }, null);
  const { secret } = await startEnrolment(mfaUser.id);
  await confirmEnrolment(mfaUser.id, generateSync({ secret }));
  mfaUserId = mfaUser.id;
  const plainUser = await createAccount({ email: "plain@example.com", password, confirmPassword: password }, null);
  plainUserId = plainUser.id;
  const orgOf = (id: string | null) => db.current.client.organization.findUniqueOrThrow({ where: { id: id! } });
  mfaOrg = await orgOf(mfaUser.lastOrganizationId);
  plainOrg = await orgOf(plainUser.lastOrganizationId);
});

// The generate-key action in `org` for a key that never expires.
const generateIn = (org: { slug: string }, name: string, environment: "test" | "live", scopes: Scope[]) =>
  generateKeyAction({ org: org.slug, name, environment, scopes, expiresAt: null });

describe("with MFA enrolled and no recent code", () => {
  it("generate, change scopes, change expiry, rotate and revoke each answer step_up_required and write nothing", async () => {
    await signInAs(mfaUserId);
    const existing = await createKey(
      { organizationId: mfaOrg.id, userId: mfaUserId, role: "owner" },
      { name: "guarded", environment: "live", scopes: ["read"], expiresAt: null, ipAllowlist: [], rateLimit: null },
      { ip: null },
    );
    const before = await db.current.client.apiKey.findUniqueOrThrow({ where: { id: existing.key.id } });

    const results = [
      await generateIn(mfaOrg, "new", "live", ["read"]),
      await updateKeyAction({ org: mfaOrg.slug, id: existing.key.id, scopes: ["read", "write"] }),
      await updateKeyAction({
        org: mfaOrg.slug,
        id: existing.key.id,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
      await rotateKeyAction({ org: mfaOrg.slug, id: existing.key.id, gracePeriodSeconds: 0 }),
      await revokeKeyAction({ org: mfaOrg.slug, id: existing.key.id }),
    ];
    for (const result of results) expect(result).toMatchObject({ ok: false, code: "step_up_required" });

    expect(await db.current.client.apiKey.count({ where: { organizationId: mfaOrg.id } })).toBe(1);
    expect(await db.current.client.apiKey.findUniqueOrThrow({ where: { id: existing.key.id } })).toEqual(before);
  });

  it("a step-up older than ten minutes does not count", async () => {
    await signInAs(mfaUserId, { stepUp: Date.now() - STEP_UP_WINDOW_MS - 1000 });
    expect(await generateIn(mfaOrg, "stale", "live", ["read"])).toMatchObject({ ok: false, code: "step_up_required" });
  });

  it("renaming alone needs no step-up", async () => {
    await signInAs(mfaUserId);
    const key = await db.current.client.apiKey.findFirstOrThrow({ where: { organizationId: mfaOrg.id } });
    expect(await updateKeyAction({ org: mfaOrg.slug, id: key.id, name: "renamed" })).toMatchObject({ ok: true });
  });
});

describe("with a fresh step-up", () => {
  it("the same actions go through", async () => {
    await signInAs(mfaUserId, { stepUp: Date.now() });
    const created = await generateIn(mfaOrg, "fresh", "live", ["admin"]);
    expect(created).toMatchObject({ ok: true });
    const id = created.ok ? created.data.key.id : "";
    expect(await updateKeyAction({ org: mfaOrg.slug, id: id, scopes: ["read"] })).toMatchObject({ ok: true });
    expect(await rotateKeyAction({ org: mfaOrg.slug, id: id, gracePeriodSeconds: 3600 })).toMatchObject({ ok: true });
    expect(await revokeKeyAction({ org: mfaOrg.slug, id: id })).toMatchObject({ ok: true });
  });
});

describe("without MFA", () => {
  it("ordinary key actions need no step-up, but an admin-scope key needs MFA enrolled", async () => {
    await signInAs(plainUserId);
    expect(await generateIn(plainOrg, "plain", "test", ["write"])).toMatchObject({ ok: true });
    expect(await generateIn(plainOrg, "admin", "test", ["admin"])).toMatchObject({
      ok: false,
      code: "mfa_required",
    });
    const key = await db.current.client.apiKey.findFirstOrThrow({ where: { organizationId: plainOrg.id } });
    expect(await updateKeyAction({ org: plainOrg.slug, id: key.id, scopes: ["admin"] })).toMatchObject({
      ok: false,
      code: "mfa_required",
    });
    expect(await db.current.client.apiKey.count({ where: { organizationId: plainOrg.id } })).toBe(1);
  });

  it("an anonymous caller is told to sign in and nothing is written", async () => {
    await withSession(null);
    expect(await generateIn(plainOrg, "anon", "live", ["read"])).toMatchObject({ ok: false, code: "unauthenticated" });
  });
});
