// Plan changes and suspensions (organization and account) through the real admin actions: an administrator with MFA needs a fresh step-up, and
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

const { changePlanAction, setOrganizationSuspendedAction, setSuspendedAction } = await import("@/lib/actions/admin");

const db = withTestDb();
const password = "a long enough password";
let adminId = "";
let userId = "";
let organizationId = "";

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
  const customer = await createAccount({ email: "customer@example.com", password, confirmPassword: password }, null);
  userId = customer.id;
  organizationId = customer.lastOrganizationId!;
});

describe("an administrator with MFA", () => {
  it("without a fresh step-up: plan change and suspensions answer step_up_required and change nothing", async () => {
    for (const stepUpAt of [undefined, Date.now() - STEP_UP_WINDOW_MS - 1000]) {
      await asAdmin(stepUpAt);
      expect(await changePlanAction({ organizationId, plan: "PRO" })).toMatchObject({
        ok: false,
        code: "step_up_required",
      });
      expect(await setOrganizationSuspendedAction({ organizationId, suspended: true })).toMatchObject({
        ok: false,
        code: "step_up_required",
      });
      expect(await setSuspendedAction({ userId, suspended: true })).toMatchObject({
        ok: false,
        code: "step_up_required",
      });
    }
    const user = await db.current.client.user.findUniqueOrThrow({ where: { id: userId } });
    const org = await db.current.client.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect([org.plan, org.suspendedAt, user.suspendedAt, user.sessionVersion]).toEqual(["FREE", null, null, 0]);
    expect(await db.current.client.auditEvent.count({ where: { action: { startsWith: "admin." } } })).toBe(0);
  });

  it("with a fresh step-up: all three go through", async () => {
    await asAdmin(Date.now());
    expect(await changePlanAction({ organizationId, plan: "PRO" })).toEqual({ ok: true, data: { plan: "PRO" } });
    expect(await setOrganizationSuspendedAction({ organizationId, suspended: true })).toEqual({
      ok: true,
      data: { suspended: true },
    });
    expect(await setSuspendedAction({ userId, suspended: true })).toEqual({ ok: true, data: { suspended: true } });
    const user = await db.current.client.user.findUniqueOrThrow({ where: { id: userId } });
    const org = await db.current.client.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect(org.plan).toBe("PRO");
    expect(org.suspendedAt).not.toBeNull();
    expect(user.suspendedAt).not.toBeNull();
  });
});
