// Plan changes and suspension through the real admin actions: an administrator with MFA needs a fresh step-up, and
// without one nothing changes.
import { generateSync } from "otplib";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import { confirmEnrolment, startEnrolment } from "@/lib/mfa/service";
import { STEP_UP_WINDOW_MS } from "@/lib/mfa/step-up";
import { withTestDb } from "../helpers/db";
import { withSession } from "../helpers/next-request";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { changePlanAction, setSuspendedAction } = await import("@/lib/actions/admin");

const db = withTestDb();
const password = "a long enough password";
let adminId = "";
let userId = "";

// The administrator's session, with a step-up at `stepUpAt` (or none).
async function asAdmin(stepUpAt?: number) {
  const { sessionVersion: sv } = await db.current.client.user.findUniqueOrThrow({ where: { id: adminId } });
  await withSession({
    sub: adminId,
    email: "admin@example.com",
    role: "ADMIN",
    mfa: "verified",
    sv,
    ...(stepUpAt ? { stepUpAt } : {}),
  });
}

beforeAll(async () => {
  adminId = (await createAccount({ email: "admin@example.com", password, confirmPassword: password }, null)).id;
  const { secret } = await startEnrolment(adminId);
  await confirmEnrolment(adminId, generateSync({ secret }));
  userId = (await createAccount({ email: "customer@example.com", password, confirmPassword: password }, null)).id;
});

describe("an administrator with MFA", () => {
  it("without a fresh step-up: plan change and suspension answer step_up_required and change nothing", async () => {
    for (const stepUpAt of [undefined, Date.now() - STEP_UP_WINDOW_MS - 1000]) {
      await asAdmin(stepUpAt);
      expect(await changePlanAction({ userId, plan: "PRO" })).toMatchObject({ ok: false, code: "step_up_required" });
      expect(await setSuspendedAction({ userId, suspended: true })).toMatchObject({
        ok: false,
        code: "step_up_required",
      });
    }
    const user = await db.current.client.user.findUniqueOrThrow({ where: { id: userId } });
    expect([user.plan, user.suspendedAt, user.sessionVersion]).toEqual(["FREE", null, 0]);
    expect(await db.current.client.auditEvent.count({ where: { action: { startsWith: "admin." } } })).toBe(0);
  });

  it("with a fresh step-up: both go through", async () => {
    await asAdmin(Date.now());
    expect(await changePlanAction({ userId, plan: "PRO" })).toEqual({ ok: true, data: { plan: "PRO" } });
    expect(await setSuspendedAction({ userId, suspended: true })).toEqual({ ok: true, data: { suspended: true } });
    const user = await db.current.client.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.plan).toBe("PRO");
    expect(user.suspendedAt).not.toBeNull();
  });
});
