"use server";
// The permission catalogue's server actions (instance administrators). No step-up: a catalogue entry grants nothing
// by itself (a member still has to give it to a key), and a held permission cannot be deleted.
import { addPermission, deletePermission, describePermission } from "../permissions/catalogue";
import { addPermissionSchema, deletePermissionSchema, describePermissionSchema } from "../validations/permissions";
import { defineAdminAction } from "./define-action";

// Adds a permission to the catalogue.
export const addPermissionAction = defineAdminAction(
  { schema: addPermissionSchema, revalidate: "/admin/permissions" },
  addPermission,
);

// Changes a permission's description.
export const describePermissionAction = defineAdminAction(
  { schema: describePermissionSchema, revalidate: "/admin/permissions" },
  describePermission,
);

// Deletes a permission no active key holds.
export const deletePermissionAction = defineAdminAction(
  { schema: deletePermissionSchema, revalidate: "/admin/permissions" },
  async (admin, input, ip) => {
    await deletePermission(admin, input, ip);
    return { name: input.name };
  },
);
