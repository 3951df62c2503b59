"use server";
// Key server actions: defineAction authorizes and validates; lib/keys/service checks the step-up policy on the loaded
// row inside its transaction (keyStepUpGuard), writes and audits; then revalidate.
import { revalidatePath } from "next/cache";
import type { KeyObject } from "../keys/record";
import { createKey, revokeKey, rotateKey, updateKey, type KeyWithSecret } from "../keys/service";
import { keyStepUpGuard } from "../keys/step-up-policy";
import { createKeySchema, keyIdInputSchema, rotateKeyActionSchema, updateKeyActionSchema } from "../validations/keys";
import { defineAction } from "./define-action";

function revalidateKey(id?: string) {
  revalidatePath("/dashboard/keys");
  if (id) revalidatePath(`/dashboard/keys/${id}`);
}

// Generates a key; the result carries the secret, the only place it is ever sent.
export const generateKeyAction = defineAction(
  { schema: createKeySchema, auth: "user" },
  async (input, { current, ip }): Promise<KeyWithSecret> => {
    const created = await createKey(current.user.id, input, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateKey();
    return created;
  },
);

// Renames a key or changes its scopes, expiry, IP allowlist or rate limit (lib/keys/step-up-policy says which need a
// step-up and which need MFA enrolled).
export const updateKeyAction = defineAction(
  { schema: updateKeyActionSchema, auth: "user" },
  async ({ id, ...changes }, { current, ip }): Promise<KeyObject> => {
    const key = await updateKey(current.user.id, id, changes, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateKey(id);
    return key;
  },
);

// Rotates a key; the result carries the new secret, once.
export const rotateKeyAction = defineAction(
  { schema: rotateKeyActionSchema, auth: "user" },
  async ({ id, gracePeriodSeconds }, { current, ip }): Promise<KeyWithSecret> => {
    const rotated = await rotateKey(
      current.user.id,
      id,
      gracePeriodSeconds,
      { ip },
      { authorize: keyStepUpGuard(current) },
    );
    revalidateKey(id);
    return rotated;
  },
);

// Revokes a key now.
export const revokeKeyAction = defineAction(
  { schema: keyIdInputSchema, auth: "user" },
  async ({ id }, { current, ip }): Promise<KeyObject> => {
    const key = await revokeKey(current.user.id, id, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateKey(id);
    return key;
  },
);
