// Single sign-on input schemas (domain claims, their settings, the organization's SSO settings), shared by the
// dashboard forms, the server actions and lib/sso.
import { z } from "zod";

// A registrable email domain: lower-case labels separated by dots, at least two labels (a leading @ is dropped).
export const ssoDomainSchema = z
  .string({ error: "Domain is required" })
  .trim()
  .toLowerCase()
  .transform((v) => v.replace(/^@/, ""))
  .pipe(
    z
      .string()
      .min(1, "Domain is required")
      .max(253, "Domain must be at most 253 characters")
      .regex(
        /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
        "Enter an email domain such as example.com",
      ),
  );

// The role SSO users of a domain join with: never owner.
export const ssoDefaultRoleSchema = z.enum(["admin", "developer", "viewer"], {
  error: "Default role must be admin, developer or viewer",
});

const booleanField = (label: string) =>
  z.preprocess(
    (v) => (v === "on" || v === "true" ? true : v === undefined || v === "" || v === "false" ? false : v),
    z.boolean({ error: `${label} must be true or false` }),
  );

export const claimSsoDomainSchema = z.strictObject({
  domain: ssoDomainSchema,
  defaultRole: ssoDefaultRoleSchema.default("developer"),
});

export const updateSsoDomainSchema = z.strictObject({
  id: z.string().min(1).max(64),
  defaultRole: ssoDefaultRoleSchema,
  requireSso: booleanField("Require SSO"),
});

export const ssoDomainIdSchema = z.strictObject({ id: z.string().min(1, "Domain is required").max(64) });

export const ssoSettingsSchema = z.strictObject({ acceptIdpMfa: booleanField("Accept the IdP's MFA") });

export type ClaimSsoDomainInput = z.output<typeof claimSsoDomainSchema>;
export type UpdateSsoDomainInput = z.output<typeof updateSsoDomainSchema>;

// The instance administrator's decision on a pending claim.
export const decideSsoDomainSchema = z.strictObject({
  id: z.string().min(1, "Domain is required").max(64),
  approve: booleanField("Approve"),
});
