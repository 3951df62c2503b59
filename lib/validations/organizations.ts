// Organization input schemas (new organization, name and slug, policies, deletion, key requests), shared by the
// dashboard forms (types), the server actions and lib/orgs.
import { z } from "zod";
import { RESERVED_SLUGS, SLUG_PATTERN } from "../orgs/organizations";
import { newKeyFields } from "./keys";
import { permissionNameSchema } from "./permissions";
import { requiredRawText, requiredText, singleLineText } from "./text";

export const MAX_KEY_LIFETIME_DAYS = 3650;

export const organizationNameSchema = requiredText("Name", 60, singleLineText);

export const organizationSlugSchema = z
  .string({ error: "Slug is required" })
  .trim()
  .toLowerCase()
  .min(1, "Slug is required")
  .max(40, "Slug must be at most 40 characters")
  .regex(SLUG_PATTERN, "Use lower-case letters, digits and dashes, starting and ending with a letter or digit")
  .refine((slug) => !RESERVED_SLUGS.has(slug), "This slug is reserved: choose another");

// A blank optional slug (an empty form field) means "derive it from the name".
export const createOrganizationSchema = z.strictObject({
  name: organizationNameSchema,
  slug: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    organizationSlugSchema.optional(),
  ),
});

export type CreateOrganizationInput = z.input<typeof createOrganizationSchema>;

export const updateOrganizationSchema = z.strictObject({ name: organizationNameSchema, slug: organizationSlugSchema });

export type UpdateOrganizationInput = z.input<typeof updateOrganizationSchema>;

export const policiesSchema = z.strictObject({
  maxKeyLifetimeDays: z
    .number({ error: "Maximum lifetime must be a number of days, or null for none" })
    .int("Maximum lifetime must be a whole number of days")
    .min(1, "Maximum lifetime must be at least 1 day")
    .max(MAX_KEY_LIFETIME_DAYS, `Maximum lifetime must be at most ${MAX_KEY_LIFETIME_DAYS} days`)
    .nullable(),
  requireAllowlistForAdmin: z.boolean({ error: "Allowlist for admin-scope keys must be true or false" }),
  requireMfa: z.boolean({ error: "MFA for members must be true or false" }),
  keyRequestPolicy: z.enum(["never", "admin_scope", "always"], {
    error: "Key requests must be never, admin_scope or always",
  }),
  approvalPermissions: z
    .array(permissionNameSchema, { error: "Permissions must be a list" })
    .max(50, "At most 50 permissions")
    .optional(),
  leakResponse: z.enum(["revoke", "notify"], { error: "Leak response must be revoke or notify" }),
});

export type PoliciesInput = z.input<typeof policiesSchema>;
export type PoliciesData = z.output<typeof policiesSchema>;

// Deleting an organization: its slug typed again.
export const deleteOrganizationSchema = z.strictObject({
  confirmation: z.string({ error: "Type the organization's slug to confirm" }).max(100, "Type the slug exactly"),
});

export const keyRequestReasonSchema = requiredText("Reason", 500);

export const createKeyRequestSchema = z.strictObject({ ...newKeyFields, reason: keyRequestReasonSchema });

export type CreateKeyRequestInput = z.input<typeof createKeyRequestSchema>;
export type CreateKeyRequestData = z.output<typeof createKeyRequestSchema>;

const requestIdSchema = requiredRawText("Request id", 64, "Unknown request id");

export const keyRequestIdSchema = z.strictObject({ id: requestIdSchema });

export const denyKeyRequestSchema = z.strictObject({ id: requestIdSchema, reason: keyRequestReasonSchema });
