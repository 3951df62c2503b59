"use server";
// Key server actions: validate → step-up → write (lib/keys/service, which audits) → revalidate.
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { fail, ok, type ActionResult } from "@/lib/actions";
import { requireUser } from "@/lib/auth/session";
import { clientIp } from "@/lib/ip/client-ip";
import { keyActionFailure } from "@/lib/keys/action-failure";
import type { KeyObject } from "@/lib/keys/record";
import { createKey, revokeKey, rotateKey, updateKey, type KeyWithSecret } from "@/lib/keys/service";
import { keyStepUpGuard } from "@/lib/keys/step-up-policy";
import { createKeySchema, keyFieldErrors, rotateKeySchema, updateKeySchema, type CreateKeyInput, type RotateKeyInput, type UpdateKeyInput } from "@/lib/validations/keys";

const INVALID = "Check the highlighted fields.";

async function actor() {
  return { ip: clientIp(await headers()) };
}

// Generates a key; the result carries the secret, the only place it is ever sent.
export async function generateKeyAction(input: CreateKeyInput): Promise<ActionResult<KeyWithSecret>> {
  const current = await requireUser("/dashboard/keys");
  const parsed = createKeySchema.safeParse(input);
  if (!parsed.success) return fail("invalid", INVALID, keyFieldErrors(parsed.error));
  try {
    const created = await createKey(current.user.id, parsed.data, await actor(), { authorize: keyStepUpGuard(current) });
    revalidatePath("/dashboard/keys");
    return ok(created);
  } catch (err) {
    return keyActionFailure(err);
  }
}

// Renames a key or changes its scopes, expiry, IP allowlist or rate limit (lib/keys/step-up-policy says which need a
// step-up and which need MFA enrolled).
export async function updateKeyAction(id: string, input: UpdateKeyInput): Promise<ActionResult<KeyObject>> {
  const current = await requireUser(`/dashboard/keys/${id}`);
  const parsed = updateKeySchema.safeParse(input);
  if (!parsed.success) return fail("invalid", INVALID, keyFieldErrors(parsed.error));
  try {
    const key = await updateKey(current.user.id, id, parsed.data, await actor(), { authorize: keyStepUpGuard(current) });
    revalidatePath("/dashboard/keys");
    revalidatePath(`/dashboard/keys/${id}`);
    return ok(key);
  } catch (err) {
    return keyActionFailure(err);
  }
}

// Rotates a key; the result carries the new secret, once.
export async function rotateKeyAction(id: string, input: RotateKeyInput): Promise<ActionResult<KeyWithSecret>> {
  const current = await requireUser(`/dashboard/keys/${id}`);
  const parsed = rotateKeySchema.safeParse(input);
  if (!parsed.success) return fail("invalid", INVALID, keyFieldErrors(parsed.error));
  try {
    const rotated = await rotateKey(current.user.id, id, parsed.data.gracePeriodSeconds, await actor(), { authorize: keyStepUpGuard(current) });
    revalidatePath("/dashboard/keys");
    revalidatePath(`/dashboard/keys/${id}`);
    return ok(rotated);
  } catch (err) {
    return keyActionFailure(err);
  }
}

// Revokes a key now.
export async function revokeKeyAction(id: string): Promise<ActionResult<KeyObject>> {
  const current = await requireUser(`/dashboard/keys/${id}`);
  try {
    const key = await revokeKey(current.user.id, id, await actor(), { authorize: keyStepUpGuard(current) });
    revalidatePath("/dashboard/keys");
    revalidatePath(`/dashboard/keys/${id}`);
    return ok(key);
  } catch (err) {
    return keyActionFailure(err);
  }
}
