"use server";
// Member and invitation server actions: defineAction authorizes the member (admin or up, in the organization the input
// names; any member to leave; an owner with a step-up to transfer ownership) and validates; lib/orgs/members and
// lib/orgs/invitations re-check the role under the organization's member lock, write and audit; then revalidate.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { acceptInvitation, createInvitation, revokeInvitation } from "../orgs/invitations";
import { changeMemberRole, leaveOrganization, removeMember, transferOwnership } from "../orgs/members";
import type { OrgMember } from "../orgs/organizations";
import type { Capability } from "../orgs/roles";
import {
  acceptInvitationSchema,
  changeMemberRoleSchema,
  createInvitationSchema,
  invitationInputSchema,
  memberInputSchema,
  organizationOnlySchema,
  removeMemberSchema,
} from "../validations/members";
import { defineAction } from "./define-action";

// A change on the members page by a member whose role holds `capability`; the page shows it afterwards.
function membersPageAction<S extends z.ZodType, T>(
  schema: S,
  capability: Capability,
  change: (member: OrgMember, input: z.output<S>, meta: { ip: string | null }) => Promise<T>,
) {
  return defineAction({ schema, auth: { capability } }, async (input, { member, ip }) => {
    const result = await change(member, input, { ip });
    revalidatePath(`/dashboard/${member.organization.slug}/members`);
    return result;
  });
}

// Changes a member's role.
export const changeMemberRoleAction = membersPageAction(changeMemberRoleSchema, "members.manage", changeMemberRole);

// Removes a member from the organization; their keys stay unless revokeKeys (they stop managing anything either way).
export const removeMemberAction = membersPageAction(
  removeMemberSchema,
  "members.manage",
  async (member, { userId, revokeKeys }, meta) => {
    const removed = await removeMember(member, userId, meta, { revokeKeys: revokeKeys ?? false });
    return { keysRevoked: removed.keysRevoked };
  },
);

// The signed-in member leaves the organization and goes to their dashboard.
export const leaveOrganizationAction = defineAction(
  { schema: organizationOnlySchema, auth: { capability: "org.read" } },
  async (_input, { member, ip }) => {
    await leaveOrganization(member, { ip });
    revalidatePath("/dashboard", "layout");
    redirect("/dashboard");
  },
);

// An owner makes another member owner and becomes admin (step-up when MFA is enrolled).
export const transferOwnershipAction = defineAction(
  { schema: memberInputSchema, auth: { capability: "ownership.transfer" }, stepUp: true },
  async ({ userId }, { member, ip }) => {
    const row = await transferOwnership(member, userId, { ip });
    revalidatePath(`/dashboard/${member.organization.slug}`, "layout");
    return row;
  },
);

// Invites an email with a role; the result carries the link, the only time it is shown.
export const createInvitationAction = membersPageAction(
  createInvitationSchema,
  "invitations.manage",
  (member, input, meta) => createInvitation(member, input, meta),
);

// Revokes a pending invitation.
export const revokeInvitationAction = membersPageAction(
  invitationInputSchema,
  "invitations.manage",
  (member, { id }, meta) => revokeInvitation(member, id, meta),
);

// The signed-in user joins the organization an invitation link names, and goes to it.
export const acceptInvitationAction = defineAction(
  { schema: acceptInvitationSchema, auth: "user" },
  async ({ token }, { current, ip }) => {
    const { slug } = await acceptInvitation(current.user, token, { ip });
    revalidatePath("/dashboard", "layout");
    redirect(`/dashboard/${slug}`);
  },
);
