"use server";
// Organization server actions: a new organization (any signed-in user), name and slug and policies (admins), deletion
// (owners, with a step-up). defineAction authorizes and validates; lib/orgs/settings checks the role again, writes and
// audits; then revalidate or redirect.
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { OrgPolicies } from "../orgs/policies";
import { createOrganizationFor, deleteOrganization, updateOrganization, updatePolicies } from "../orgs/settings";
import {
  createOrganizationSchema,
  deleteOrganizationSchema,
  policiesSchema,
  updateOrganizationSchema,
} from "../validations/organizations";
import { defineAction } from "./define-action";

// Creates an organization owned by the caller and opens it.
export const createOrganizationAction = defineAction(
  { schema: createOrganizationSchema, auth: "user" },
  async (input, { current, ip }): Promise<never> => {
    const org = await createOrganizationFor(current.user.id, input, { ip });
    revalidatePath("/dashboard", "layout");
    redirect(`/dashboard/${org.slug}`);
  },
);

// Renames the organization or changes its slug; a new slug moves the settings page to its new URL.
export const updateOrganizationAction = defineAction(
  { schema: updateOrganizationSchema, auth: { capability: "org.rename" } },
  async (input, { member, ip }): Promise<{ slug: string; name: string }> => {
    const org = await updateOrganization(member, input, { ip });
    revalidatePath("/dashboard", "layout");
    if (org.slug !== member.organization.slug) redirect(`/dashboard/${org.slug}/settings`);
    return { slug: org.slug, name: org.name };
  },
);

// Sets the organization's policies.
export const updatePoliciesAction = defineAction(
  { schema: policiesSchema, auth: { capability: "policies.manage" } },
  async (input, { member, ip }): Promise<OrgPolicies> => {
    const policies = await updatePolicies(member, input, { ip });
    revalidatePath(`/dashboard/${member.organization.slug}`, "layout");
    return policies;
  },
);

// Deletes the organization (the slug typed as confirmation) and goes back to /dashboard.
export const deleteOrganizationAction = defineAction(
  { schema: deleteOrganizationSchema, auth: { capability: "org.delete" }, stepUp: true },
  async ({ confirmation }, { member, ip }): Promise<never> => {
    await deleteOrganization(member, confirmation, { ip });
    revalidatePath("/dashboard", "layout");
    redirect("/dashboard");
  },
);
