// Administrator inputs: plan changes and suspensions, shared by the admin forms and server actions.
import { z } from "zod";
import { safeText } from "./text";

export const PLANS = ["FREE", "PRO", "ENTERPRISE"] as const;

export const changePlanSchema = z.object({
  organizationId: z.string().trim().min(1, "Choose an organization").check(safeText("Organization id")),
  plan: z.enum(PLANS, { error: "Choose FREE, PRO or ENTERPRISE" }),
});

export const setOrganizationSuspendedSchema = z.object({
  organizationId: z.string().trim().min(1, "Choose an organization").check(safeText("Organization id")),
  suspended: z.boolean(),
});

export const setSuspendedSchema = z.object({
  userId: z.string().trim().min(1, "Choose an account").check(safeText("Account id")),
  suspended: z.boolean(),
});

export const adminKeySearchSchema = z.object({
  q: z.string().trim().max(64, "Search for at most 64 characters").check(safeText("Search")).optional(),
  cursor: z.string().max(200).check(safeText("Cursor")).optional(),
});

export const adminRevokeKeySchema = z.object({
  keyId: z.string().trim().min(1, "Choose a key").max(64, "Choose a key").check(safeText("Key id")),
});
