// Member and invitation input schemas, shared by the members page's forms and the server actions.
import { z } from "zod";
import { ORG_ROLES } from "../orgs/roles";
import { emailSchema } from "./auth";
import { chosenIdSchema, safeText } from "./text";

export const orgRoleSchema = z.enum(ORG_ROLES, { error: "Role must be owner, admin, developer or viewer" });

// A member, named by their user id (remove, transfer ownership).
export const memberInputSchema = z.object({ userId: chosenIdSchema("a member") });

// Removing a member, and whether to revoke the keys they created (a form's checkbox posts "on"; absent is false).
export const removeMemberSchema = memberInputSchema.extend({
  revokeKeys: z
    .preprocess(
      (v) => (v === "on" || v === "true" ? true : v === undefined || v === "" || v === "false" ? false : v),
      z.boolean({ error: "Revoke their keys must be true or false" }),
    )
    .optional(),
});

// A member's new role.
export const changeMemberRoleSchema = memberInputSchema.extend({ role: orgRoleSchema });

// A new invitation: who, and with which role.
export const createInvitationSchema = z.object({ email: emailSchema, role: orgRoleSchema });

// A pending invitation, by id (revoke).
export const invitationInputSchema = z.object({ id: chosenIdSchema("an invitation") });

// An action that needs nothing but the organization (leave): `org` is checked by defineAction, nothing else is read.
export const organizationOnlySchema = z.object({}).loose();

// Accepting an invitation: the token from its link.
export const acceptInvitationSchema = z.object({
  token: z.string({ error: "The invitation link is incomplete" }).min(1).max(128).check(safeText("Token")),
});
