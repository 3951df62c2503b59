"use server";
// Administrators' server actions: each checks requireAdmin() itself, then calls lib/admin.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { fail, ok, type ActionResult } from "@/lib/actions";
import { AdminError, changePlan, setAccountSuspended } from "@/lib/admin/accounts";
import { revokeKeyForAdmin } from "@/lib/admin/keys";
import { requireAdmin } from "@/lib/auth/session";
import { clientIp } from "@/lib/ip/client-ip";
import { keyActionFailure } from "@/lib/keys/action-failure";
import type { KeyObject } from "@/lib/keys/record";
import { keyStepUpGuard } from "@/lib/keys/step-up-policy";
import { fieldErrors } from "@/lib/validations/auth";
import { adminRevokeKeySchema, changePlanSchema, setSuspendedSchema } from "@/lib/validations/admin";

function adminFailure(err: unknown): ActionResult<never> {
  if (err instanceof AdminError) return fail(err.code, err.message);
  return keyActionFailure(err);
}

// Changes an account's plan.
export async function changePlanAction(input: { userId: string; plan: string }): Promise<ActionResult<{ plan: string }>> {
  const { user } = await requireAdmin();
  const parsed = changePlanSchema.safeParse(input);
  if (!parsed.success) return fail("invalid", "Check the plan", fieldErrors(parsed.error));
  try {
    const plan = await changePlan(user, parsed.data, clientIp(await headers()));
    revalidatePath("/admin");
    return ok({ plan });
  } catch (err) {
    return adminFailure(err);
  }
}

// Suspends or restores an account.
export async function setSuspendedAction(input: { userId: string; suspended: boolean }): Promise<ActionResult<{ suspended: boolean }>> {
  const { user } = await requireAdmin();
  const parsed = setSuspendedSchema.safeParse(input);
  if (!parsed.success) return fail("invalid", "Choose an account", fieldErrors(parsed.error));
  try {
    const suspendedAt = await setAccountSuspended(user, parsed.data, clientIp(await headers()));
    revalidatePath("/admin");
    return ok({ suspended: suspendedAt !== null });
  } catch (err) {
    return adminFailure(err);
  }
}

// Revokes any account's key (a step-up when the administrator has two-factor authentication, like any revoke).
export async function revokeKeyAsAdminAction(input: { keyId: string }): Promise<ActionResult<KeyObject>> {
  const current = await requireAdmin();
  const parsed = adminRevokeKeySchema.safeParse(input);
  if (!parsed.success) return fail("invalid", "Choose a key", fieldErrors(parsed.error));
  try {
    const key = await revokeKeyForAdmin(current.user, parsed.data.keyId, clientIp(await headers()), { authorize: keyStepUpGuard(current) });
    revalidatePath("/admin/keys");
    return ok(key);
  } catch (err) {
    return adminFailure(err);
  }
}
