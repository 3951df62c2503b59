"use server";
// The permission catalogue's server actions (instance administrators). No step-up: a catalogue entry grants nothing
// by itself (a member still has to give it to a key), and a held permission cannot be deleted.
import { revalidatePath } from "next/cache";
import { addPermission, deletePermission, describePermission } from "../permissions/catalogue";
import { addPermissionSchema, deletePermissionSchema, describePermissionSchema } from "../validations/permissions";
import { defineAction } from "./define-action";

// Adds a permission to the catalogue.
export const addPermissionAction = defineAction(
  { schema: addPermissionSchema, auth: "admin" },
  async (input, { current, ip }) => {
    const permission = await addPermission(current.user, input, ip);
    revalidatePath("/admin/permissions");
    return permission;
  },
);

// Changes a permission's description.
export const describePermissionAction = defineAction(
  { schema: describePermissionSchema, auth: "admin" },
  async (input, { current, ip }) => {
    const permission = await describePermission(current.user, input, ip);
    revalidatePath("/admin/permissions");
    return permission;
  },
);

// Deletes a permission no active key holds.
export const deletePermissionAction = defineAction(
  { schema: deletePermissionSchema, auth: "admin" },
  async (input, { current, ip }) => {
    await deletePermission(current.user, input, ip);
    revalidatePath("/admin/permissions");
    return { name: input.name };
  },
);
