// Key input schemas, shared by the dashboard forms, the server actions and the REST handlers.
import ipaddr from "ipaddr.js";
import { z } from "zod";
import type { Scope } from "../generated/prisma/enums";
import { isScope, normaliseScopes } from "../keys/scopes";
import { ipAllowlistSchema } from "./ip-allowlist";
import { keyPermissionsSchema, requiredPermissionsSchema } from "./permissions";
import { safeText } from "./text";

export const MAX_GRACE_SECONDS = 7 * 24 * 60 * 60;
export const MAX_RATE_LIMIT = 100_000;

export const keyNameSchema = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(64, "Name must be at most 64 characters")
  .check(safeText("Name"));

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

export const createKeySchema = z.strictObject({
  name: keyNameSchema,
  environment: keyEnvironmentSchema,
  scopes: keyScopesSchema,
  permissions: keyPermissionsSchema.optional(),
  expiresAt: keyExpirySchema.optional().transform((v) => v ?? null),
  ipAllowlist: ipAllowlistSchema.optional().transform((v) => v ?? []),
  rateLimit: keyRateLimitSchema.optional().transform((v) => v ?? null),
});

export type CreateKeyInput = z.input<typeof createKeySchema>;
export type CreateKeyData = z.output<typeof createKeySchema>;

const updateKeyFields = {
  name: keyNameSchema.optional(),
  scopes: keyScopesSchema.optional(),
  permissions: keyPermissionsSchema.optional(),
  expiresAt: keyExpirySchema.optional(),
  ipAllowlist: ipAllowlistSchema.optional(),
  rateLimit: keyRateLimitSchema.optional(),
};

const SOME_CHANGE = {
  path: ["body"],
  message: "Send at least one of name, scopes, permissions, expiresAt, ipAllowlist, rateLimit",
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
export const keyIdSchema = z
  .string({ error: "Key id is required" })
  .min(1, "Key id is required")
  .max(64, "Unknown key id")
  .check(safeText("Key id"));

// The dashboard's key actions take the key's id beside the fields.
export const keyIdInputSchema = z.strictObject({ id: keyIdSchema });
export const updateKeyActionSchema = z
  .strictObject({ id: keyIdSchema, ...updateKeyFields })
  .refine(changesSomething, SOME_CHANGE);
export const rotateKeyActionSchema = z.strictObject({ id: keyIdSchema, gracePeriodSeconds });

export type RotateKeyInput = z.input<typeof rotateKeySchema>;

export const listKeysQuerySchema = z.object({
  cursor: z.string().max(200, "Cursor is too long").check(safeText("Cursor")).optional(),
  limit: z.coerce
    .number({ error: "Limit must be a number" })
    .int("Limit must be a whole number")
    .min(1, "Limit must be at least 1")
    .max(100, "Limit must be at most 100")
    .default(20),
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
});
