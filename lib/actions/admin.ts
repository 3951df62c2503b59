"use server";
// Administrators' server actions (auth "admin"): plan changes, suspension and key revocation, each behind the admin's
// step-up when the admin has MFA.
import { revalidatePath } from "next/cache";
import { setAccountSuspended } from "../admin/accounts";
import { changePlan, setOrganizationSuspended } from "../admin/organizations";
import { revokeKeyForAdmin } from "../admin/keys";
import { issueResetLink } from "../auth/password-reset";
import type { KeyObject } from "../keys/record";
import { keyStepUpGuard } from "../keys/step-up-policy";
import {
  adminRevokeKeySchema,
  changePlanSchema,
  setOrganizationSuspendedSchema,
  setSuspendedSchema,
} from "../validations/admin";
import { issueResetLinkSchema } from "../validations/auth";
import { defineAction, defineAdminAction } from "./define-action";

// Changes an organization's plan.
export const changePlanAction = defineAdminAction(
  { schema: changePlanSchema, stepUp: true, revalidate: "/admin" },
  async (admin, input, ip) => ({ plan: await changePlan(admin, input, ip) }),
);

// Suspends or restores an organization (its keys are refused with account_suspended).
export const setOrganizationSuspendedAction = defineAdminAction(
  { schema: setOrganizationSuspendedSchema, stepUp: true, revalidate: "/admin" },
  async (admin, input, ip) => ({ suspended: (await setOrganizationSuspended(admin, input, ip)) !== null }),
);

// Suspends or restores an account (sign-in refused, sessions ended).
export const setSuspendedAction = defineAdminAction(
  { schema: setSuspendedSchema, stepUp: true, revalidate: "/admin" },
  async (admin, input, ip) => ({ suspended: (await setAccountSuspended(admin, input, ip)) !== null }),
);

// Revokes any account's key (the step-up guard runs on the loaded key, so an unknown id is not_found first).
export const revokeKeyAsAdminAction = defineAction(
  { schema: adminRevokeKeySchema, auth: "admin" },
  async ({ keyId }, { current, ip }): Promise<KeyObject> => {
    const key = await revokeKeyForAdmin(current.user, keyId, ip, { authorize: keyStepUpGuard(current) });
    revalidatePath("/admin/keys");
    return key;
  },
);

// Issues a one-time password-reset link for an account, shown once to the administrator.
export const issueResetLinkAction = defineAction(
  { schema: issueResetLinkSchema, auth: "admin", stepUp: true },
  async ({ userId }, { current, ip }) => {
    const { url, expiresAt } = await issueResetLink(current.user, userId, ip);
    return { url, expiresAt: expiresAt.toISOString() };
  },
);
