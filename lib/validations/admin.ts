// Administrator inputs: plan changes and suspensions, shared by the admin forms and server actions.
import { z } from "zod";

export const PLANS = ["FREE", "PRO", "ENTERPRISE"] as const;

export const changePlanSchema = z.object({
  userId: z.string().trim().min(1, "Choose an account"),
  plan: z.enum(PLANS, { error: "Choose FREE, PRO or ENTERPRISE" }),
});

export const setSuspendedSchema = z.object({
  userId: z.string().trim().min(1, "Choose an account"),
  suspended: z.boolean(),
});

export const adminKeySearchSchema = z.object({
  q: z.string().trim().max(64, "Search for at most 64 characters").optional(),
  cursor: z.string().max(200).optional(),
});

export const adminRevokeKeySchema = z.object({
  keyId: z.string().trim().min(1, "Choose a key").max(64, "Choose a key"),
});
