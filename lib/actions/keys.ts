"use server";
// Key server actions: defineAction authorizes the member (developer or up, in the organization the input names) and
// validates; lib/keys/service applies the role (developers change only their own keys), the policies and the step-up
// policy on the loaded row inside its transaction (keyStepUpGuard), writes and audits; then revalidate.
import { revalidatePath } from "next/cache";
import type { OrgMember } from "../orgs/organizations";
import type { KeyObject } from "../keys/record";
import { createKey, revokeKey, rotateKey, updateKey, type KeyActor, type KeyWithSecret } from "../keys/service";
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

const DEVELOPER = { role: "developer" } as const;

function actorOf(member: OrgMember): KeyActor {
  return { organizationId: member.organization.id, userId: member.userId, role: member.role };
}

function revalidateKey(member: OrgMember, id?: string) {
  const base = `/dashboard/${member.organization.slug}/keys`;
  revalidatePath(base);
  if (id) revalidatePath(`${base}/${id}`);
}

// Generates a key; the result carries the secret, the only place it is ever sent.
export const generateKeyAction = defineAction(
  { schema: createKeySchema, auth: DEVELOPER },
  async (input, { current, member, ip }): Promise<KeyWithSecret> => {
    const created = await createKey(actorOf(member), input, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateKey(member);
    return created;
  },
);

// Renames a key or changes its scopes, expiry, IP allowlist or rate limit (lib/keys/step-up-policy says which need a
// step-up and which need MFA enrolled).
export const updateKeyAction = defineAction(
  { schema: updateKeyActionSchema, auth: DEVELOPER },
  async ({ id, ...changes }, { current, member, ip }): Promise<KeyObject> => {
    const key = await updateKey(actorOf(member), id, changes, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateKey(member, id);
    return key;
  },
);

// Rotates a key; the result carries the new secret, once.
export const rotateKeyAction = defineAction(
  { schema: rotateKeyActionSchema, auth: DEVELOPER },
  async ({ id, gracePeriodSeconds }, { current, member, ip }): Promise<KeyWithSecret> => {
    const rotated = await rotateKey(
      actorOf(member),
      id,
      gracePeriodSeconds,
      { ip },
      { authorize: keyStepUpGuard(current) },
    );
    revalidateKey(member, id);
    return rotated;
  },
);

// Revokes a key now.
export const revokeKeyAction = defineAction(
  { schema: keyIdInputSchema, auth: DEVELOPER },
  async ({ id }, { current, member, ip }): Promise<KeyObject> => {
    const key = await revokeKey(actorOf(member), id, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateKey(member, id);
    return key;
  },
);

// Adds credits to a key that has them (administrators and owners of the organization); answers what remains.
export const addCreditsAction = defineAction(
  { schema: addCreditsSchema, auth: { role: "admin" } },
  async ({ id, amount }, { member, ip }): Promise<{ remaining: number }> => {
    const remaining = await addKeyCredits(actorOf(member), id, amount, { ip });
    revalidateKey(member, id);
    return { remaining };
  },
);
