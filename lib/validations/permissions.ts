// Permission input schemas: names (resource:action, action `*` for every action of a resource), catalogue entries and
// the catalogue document PUT /api/v1/permissions replaces the catalogue with. Shared by the admin forms, the server
// actions, the key schemas and the REST handlers.
import { z } from "zod";
import { normalisePermissions } from "../permissions/names";
import { safeText } from "./text";

export const PERMISSION_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,31}:[a-z*][a-z0-9_*-]{0,31}$/;
export const MAX_PERMISSIONS_PER_KEY = 50;
export const MAX_CATALOGUE_SIZE = 1000;

const NAME_HINT = "Permissions look like resource:action, lower case (e.g. inference:write or inference:*)";

export const permissionNameSchema = z
  .string({ error: "Permission must be a string" })
  .regex(PERMISSION_NAME_PATTERN, NAME_HINT);

export const permissionDescriptionSchema = z
  .string({ error: "Description must be a string" })
  .trim()
  .max(200, "Description must be at most 200 characters")
  .check(safeText("Description"));

// A key's permissions: distinct names, at most 50 (a duplicate is dropped, the list sorted).
export const keyPermissionsSchema = z
  .array(permissionNameSchema, { error: "Permissions must be a list of resource:action names" })
  .max(MAX_PERMISSIONS_PER_KEY, `At most ${MAX_PERMISSIONS_PER_KEY} permissions`)
  .transform(normalisePermissions);

// The permissions a verification requires (all of them).
export const requiredPermissionsSchema = z
  .array(permissionNameSchema, { error: "Permissions must be a list of resource:action names" })
  .max(MAX_PERMISSIONS_PER_KEY, `At most ${MAX_PERMISSIONS_PER_KEY} permissions`);

export const permissionEntrySchema = z.strictObject({
  name: permissionNameSchema,
  description: permissionDescriptionSchema.optional().transform((v) => v ?? ""),
});

export type PermissionEntryInput = z.input<typeof permissionEntrySchema>;
export type PermissionEntry = z.output<typeof permissionEntrySchema>;

// The whole catalogue (configuration as code): each name once.
export const permissionCatalogueSchema = z.strictObject({
  permissions: z
    .array(permissionEntrySchema, { error: "Permissions must be a list of {name, description}" })
    .max(MAX_CATALOGUE_SIZE, `At most ${MAX_CATALOGUE_SIZE} permissions`)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((p, i) => {
        if (seen.has(p.name))
          ctx.addIssue({ code: "custom", path: [i, "name"], message: `Duplicate permission: ${p.name}` });
        seen.add(p.name);
      });
    }),
});

export type PermissionCatalogueInput = z.input<typeof permissionCatalogueSchema>;

// The admin page's forms: add (name and description), describe (description), delete (name).
export const addPermissionSchema = permissionEntrySchema;
export const describePermissionSchema = z.strictObject({
  name: permissionNameSchema,
  description: permissionDescriptionSchema,
});
export const deletePermissionSchema = z.strictObject({ name: permissionNameSchema });
