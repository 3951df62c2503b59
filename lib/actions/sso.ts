"use server";
// Single sign-on server actions: domain claims, their settings and the organization's SSO settings (owners, sso.manage),
// and the instance administrator's approval of claims.
import { revalidatePath } from "next/cache";
import { claimDomain, decideDomain, removeDomain, updateDomain, updateSsoSettings } from "../sso/domains";
import {
  claimSsoDomainSchema,
  decideSsoDomainSchema,
  ssoDomainIdSchema,
  ssoSettingsSchema,
  updateSsoDomainSchema,
} from "../validations/sso";
import { defineAction } from "./define-action";

// Claims an email domain for the organization; it waits for the instance administrator's approval.
export const claimSsoDomainAction = defineAction(
  { schema: claimSsoDomainSchema, auth: { capability: "sso.manage" } },
  async (input, { actor, member, ip }) => {
    const claim = await claimDomain(actor, input, { ip });
    revalidatePath(`/dashboard/${member.organization.slug}/settings`);
    return { domain: claim.domain };
  },
);

// Sets a claimed domain's default role and "require SSO".
export const updateSsoDomainAction = defineAction(
  { schema: updateSsoDomainSchema, auth: { capability: "sso.manage" } },
  async (input, { actor, member, ip }) => {
    const claim = await updateDomain(actor, input, { ip });
    revalidatePath(`/dashboard/${member.organization.slug}/settings`);
    return { domain: claim.domain, requireSso: claim.requireSso };
  },
);

// Removes a claimed domain.
export const removeSsoDomainAction = defineAction(
  { schema: ssoDomainIdSchema, auth: { capability: "sso.manage" } },
  async ({ id }, { actor, member, ip }) => {
    await removeDomain(actor, id, { ip });
    revalidatePath(`/dashboard/${member.organization.slug}/settings`);
    return null;
  },
);

// Whether the organization's MFA-required policy accepts the identity provider's MFA.
export const updateSsoSettingsAction = defineAction(
  { schema: ssoSettingsSchema, auth: { capability: "sso.manage" } },
  async (input, { actor, member, ip }) => {
    await updateSsoSettings(actor, input, { ip });
    revalidatePath(`/dashboard/${member.organization.slug}`, "layout");
    return input;
  },
);

// Approves or rejects a pending domain claim (instance administrators, behind their step-up).
export const decideSsoDomainAction = defineAction(
  { schema: decideSsoDomainSchema, auth: "admin", stepUp: true },
  async (input, { current, ip }) => {
    await decideDomain(current.user, input, ip);
    revalidatePath("/admin");
    return { approved: input.approve };
  },
);
