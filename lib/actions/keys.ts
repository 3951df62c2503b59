"use server";
// Key server actions: defineAction authorizes the member (developer or up, in the organization the input names) and
// validates; lib/keys/service applies the role (developers change only their own keys), the policies and the step-up
// policy on the loaded row inside its transaction (keyStepUpGuard), writes and audits; then revalidate.
import { revalidatePath } from "next/cache";
import type { OrgMember } from "../orgs/organizations";
import type { KeyObject } from "../keys/record";
import { createKey, revokeKey, rotateKey, updateKey, type KeyWithSecret } from "../keys/service";
import { keyStepUpGuard } from "../keys/step-up-policy";
import { addKeyCredits } from "../keys/credits";
import {
  addCreditsSchema,
  createKeySchema,
  keyIdInputSchema,
  rotateKeyActionSchema,
  updateKeyActionSchema,
} from "../validations/keys";
import { defineAction } from "./define-action";

function revalidateKey(member: OrgMember, id?: string) {
  const base = `/dashboard/${member.organization.slug}/keys`;
  revalidatePath(base);
  if (id) revalidatePath(`${base}/${id}`);
}

// Generates a key; the result carries the secret, the only place it is ever sent.
export const generateKeyAction = defineAction(
  { schema: createKeySchema, auth: { capability: "keys.create" } },
  async (input, { current, member, actor, ip }): Promise<KeyWithSecret> => {
    const created = await createKey(actor, input, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateKey(member);
    return created;
  },
);

// Renames a key or changes its scopes, expiry, IP allowlist or rate limit (lib/keys/step-up-policy says which need a
// step-up and which need MFA enrolled).
export const updateKeyAction = defineAction(
  { schema: updateKeyActionSchema, auth: { capability: "keys.manage" } },
  async ({ id, ...changes }, { current, member, actor, ip }): Promise<KeyObject> => {
    const key = await updateKey(actor, id, changes, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateKey(member, id);
    return key;
  },
);

// Rotates a key; the result carries the new secret, once.
export const rotateKeyAction = defineAction(
  { schema: rotateKeyActionSchema, auth: { capability: "keys.manage" } },
  async ({ id, gracePeriodSeconds }, { current, member, actor, ip }): Promise<KeyWithSecret> => {
    const rotated = await rotateKey(actor, id, gracePeriodSeconds, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateKey(member, id);
    return rotated;
  },
);

// Revokes a key now.
export const revokeKeyAction = defineAction(
  { schema: keyIdInputSchema, auth: { capability: "keys.manage" } },
  async ({ id }, { current, member, actor, ip }): Promise<KeyObject> => {
    const key = await revokeKey(actor, id, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateKey(member, id);
    return key;
  },
);

// Adds credits to a key that has them (administrators and owners of the organization); answers what remains.
export const addCreditsAction = defineAction(
  { schema: addCreditsSchema, auth: { capability: "keys.limits" } },
  async ({ id, amount }, { member, actor, ip }): Promise<{ remaining: number }> => {
    const remaining = await addKeyCredits(actor, id, amount, { ip });
    revalidateKey(member, id);
    return { remaining };
  },
);
