// Key input schemas, shared by the dashboard forms, the server actions and the REST handlers.
import ipaddr from "ipaddr.js";
import { z } from "zod";
import type { Scope } from "../generated/prisma/enums";
import { isScope, normaliseScopes } from "../keys/scopes";
import { ipAllowlistSchema } from "./ip-allowlist";
import { keyPermissionsSchema, requiredPermissionsSchema } from "./permissions";
import { pageCursorSchema, pageLimitSchema } from "./page";
import { requiredRawText, requiredText, safeText, singleLineText } from "./text";

export const MAX_GRACE_SECONDS = 7 * 24 * 60 * 60;
export const MAX_RATE_LIMIT = 100_000;
// The most credits one verification may cost, and the most a key may hold.
export const MAX_COST = 10_000;
export const MAX_CREDITS = 1_000_000_000;

export const keyNameSchema = requiredText("Name", 64, singleLineText);

export const keyEnvironmentSchema = z.enum(["live", "test"], { error: "Environment must be live or test" });

export const keyScopesSchema = z
  .array(z.string(), { error: "Scopes must be a list of read, write, admin" })
  .min(1, "Choose at least one scope")
  .refine((list) => list.every(isScope), "Unknown scope: use read, write or admin")
  .transform((list) => normaliseScopes(list as Scope[]));

// An ISO 8601 date-time in the future, or null for "never expires".
export const keyExpirySchema = z
  .union([z.iso.datetime({ offset: true, error: "Expiry must be an ISO 8601 date-time or null" }), z.null()], {
    error: "Expiry must be an ISO 8601 date-time or null",
  })
  .transform((v) => (v === null ? null : new Date(v)))
  .refine((d) => d === null || d.getTime() > Date.now(), "Expiry must be in the future");

// A key's own limit in requests per minute, or null for its owner's plan default.
export const keyRateLimitSchema = z
  .number({ error: "Rate limit must be a number of requests per minute, or null for the plan's default" })
  .int("Rate limit must be a whole number of requests per minute")
  .min(1, "Rate limit must be at least 1 request per minute")
  .max(MAX_RATE_LIMIT, `Rate limit must be at most ${MAX_RATE_LIMIT} requests per minute`)
  .nullable();

// A whole number of credits up to MAX_CREDITS; `label` names it in messages, `min` is the least it may be.
const creditCount = (label: string, min: number, tooFew: string) =>
  z
    .number({ error: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(min, tooFew)
    .max(MAX_CREDITS, `${label} must be at most ${MAX_CREDITS}`);

// Prepaid credits: null (unlimited), or what remains and an optional refill rule (set to `amount` at each UTC day or
// month boundary).
export const keyCreditsSchema = z
  .strictObject(
    {
      remaining: creditCount("Credits remaining", 0, "Credits remaining cannot be negative"),
      refill: z
        .strictObject(
          {
            amount: creditCount("Refill amount", 1, "Refill amount must be at least 1"),
            interval: z.enum(["day", "month"], { error: "Refill interval must be day or month" }),
          },
          { error: "Refill must be {amount, interval} or null" },
        )
        .nullable()
        .optional()
        .transform((v) => v ?? null),
    },
    { error: "Credits must be {remaining, refill} or null for unlimited" },
  )
  .nullable();

// Credits an administrator adds to a key.
export const addCreditsSchema = z.strictObject({
  id: z.string().min(1).max(64),
  amount: z.coerce
    .number({ error: "Amount must be a whole number of credits" })
    .int("Amount must be a whole number of credits")
    .min(1, "Add at least 1 credit")
    .max(MAX_CREDITS, `Add at most ${MAX_CREDITS} credits`),
});

// A new key's fields, with their defaults (never expires, any address, the plan's rate limit): a key created now or
// requested for an administrator's approval.
export const newKeyFields = {
  name: keyNameSchema,
  environment: keyEnvironmentSchema,
  scopes: keyScopesSchema,
  permissions: keyPermissionsSchema.optional(),
  expiresAt: keyExpirySchema.optional().transform((v) => v ?? null),
  ipAllowlist: ipAllowlistSchema.optional().transform((v) => v ?? []),
  rateLimit: keyRateLimitSchema.optional().transform((v) => v ?? null),
};

export const createKeySchema = z.strictObject({ ...newKeyFields, credits: keyCreditsSchema.optional() });

export type CreateKeyInput = z.input<typeof createKeySchema>;
export type CreateKeyData = z.output<typeof createKeySchema>;

const updateKeyFields = {
  name: keyNameSchema.optional(),
  scopes: keyScopesSchema.optional(),
  permissions: keyPermissionsSchema.optional(),
  expiresAt: keyExpirySchema.optional(),
  ipAllowlist: ipAllowlistSchema.optional(),
  rateLimit: keyRateLimitSchema.optional(),
  credits: keyCreditsSchema.optional(),
};

const SOME_CHANGE = {
  path: ["body"],
  message: "Send at least one of name, scopes, permissions, expiresAt, ipAllowlist, rateLimit, credits",
};
const changesSomething = (v: Record<string, unknown>) =>
  Object.entries(v).some(([field, value]) => field !== "id" && value !== undefined);

export const updateKeySchema = z.strictObject(updateKeyFields).refine(changesSomething, SOME_CHANGE);

export type UpdateKeyInput = z.input<typeof updateKeySchema>;
export type UpdateKeyData = z.output<typeof updateKeySchema>;

const gracePeriodSeconds = z
  .number({ error: "Grace period must be a number of seconds" })
  .int("Grace period must be a whole number of seconds")
  .min(0, "Grace period cannot be negative")
  .max(MAX_GRACE_SECONDS, "Grace period must be at most 604800 seconds (7 days)")
  .default(0);

export const rotateKeySchema = z.strictObject({ gracePeriodSeconds });

// A key id from a URL or a form: any string up to 64 characters; one that names no key of the account is not_found.
export const keyIdSchema = requiredRawText("Key id", 64, "Unknown key id");

// The dashboard's key actions take the key's id beside the fields.
export const keyIdInputSchema = z.strictObject({ id: keyIdSchema });
export const updateKeyActionSchema = z
  .strictObject({ id: keyIdSchema, ...updateKeyFields })
  .refine(changesSomething, SOME_CHANGE);
export const rotateKeyActionSchema = z.strictObject({ id: keyIdSchema, gracePeriodSeconds });

export type RotateKeyInput = z.input<typeof rotateKeySchema>;

export const listKeysQuerySchema = z.object({
  cursor: pageCursorSchema("Cursor"),
  limit: pageLimitSchema("Limit", 20),
});

export const verifyRequestSchema = z.strictObject({
  key: z
    .string({ error: "Key is required" })
    .min(1, "Key is required")
    .max(200, "Key is too long")
    .check(safeText("Key")),
  scope: z.enum(["read", "write", "admin"], { error: "Unknown scope: use read, write or admin" }).optional(),
  permissions: requiredPermissionsSchema.optional(),
  ip: z
    .string({ error: "IP must be a string" })
    .refine(
      (v) => ipaddr.IPv4.isValidFourPartDecimal(v) || ipaddr.IPv6.isValid(v),
      "IP must be an IPv4 or IPv6 address",
    )
    .optional(),
  cost: z
    .number({ error: "Cost must be a whole number of credits from 0 to 10000" })
    .int("Cost must be a whole number of credits from 0 to 10000")
    .min(0, "Cost must be a whole number of credits from 0 to 10000")
    .max(MAX_COST, "Cost must be a whole number of credits from 0 to 10000")
    .optional()
    .meta({ description: "Credits this verification spends from a key that has credits (default 1)" }),
});
