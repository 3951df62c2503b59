// Member and invitation input schemas, shared by the members page's forms and the server actions.
import { z } from "zod";
import { ORG_ROLES } from "../orgs/roles";
import { emailSchema } from "./auth";
import { safeText } from "./text";

const idSchema = (label: string) =>
  z
    .string({ error: `Choose ${label}` })
    .min(1, `Choose ${label}`)
    .max(64, `Choose ${label}`)
    .check(safeText(label));

export const orgRoleSchema = z.enum(ORG_ROLES, { error: "Role must be owner, admin, developer or viewer" });

// A member, named by their user id (remove, transfer ownership).
export const memberInputSchema = z.object({ userId: idSchema("a member") });

// A member's new role.
export const changeMemberRoleSchema = memberInputSchema.extend({ role: orgRoleSchema });

// A new invitation: who, and with which role.
export const createInvitationSchema = z.object({ email: emailSchema, role: orgRoleSchema });

// A pending invitation, by id (revoke).
export const invitationInputSchema = z.object({ id: idSchema("an invitation") });

// Accepting an invitation: the token from its link.
export const acceptInvitationSchema = z.object({
  token: z.string({ error: "The invitation link is incomplete" }).min(1).max(128).check(safeText("Token")),
});
