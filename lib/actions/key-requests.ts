"use server";
// Key request server actions: members (developer and up) submit and reveal their own; admins approve (with a step-up)
// or deny. lib/orgs/key-requests does the checks, the writes and the audit; revealing makes the key through the key
// service with the same step-up guard as generating one.
import { revalidatePath } from "next/cache";
import type { OrgMember } from "../orgs/organizations";
import { keyStepUpGuard } from "../keys/step-up-policy";
import type { KeyWithSecret } from "../keys/service";
import { approveKeyRequest, createKeyRequest, denyKeyRequest, revealKeyRequest } from "../orgs/key-requests";
import { createKeyRequestSchema, denyKeyRequestSchema, keyRequestIdSchema } from "../validations/organizations";
import { defineAction } from "./define-action";

function revalidateRequests(member: OrgMember) {
  // The layout too: the shell's pending-requests badge.
  revalidatePath(`/dashboard/${member.organization.slug}`, "layout");
}

// Submits a key request; the result is its id.
export const createKeyRequestAction = defineAction(
  { schema: createKeyRequestSchema, auth: { capability: "keys.request" } },
  async (input, { member, ip }): Promise<{ id: string }> => {
    const request = await createKeyRequest(member, input, { ip });
    revalidateRequests(member);
    return { id: request.id };
  },
);

// Approves a pending request; the requester can then reveal the key.
export const approveKeyRequestAction = defineAction(
  { schema: keyRequestIdSchema, auth: { capability: "requests.review" }, stepUp: true },
  async ({ id }, { member, ip }): Promise<{ id: string }> => {
    await approveKeyRequest(member, id, { ip });
    revalidateRequests(member);
    return { id };
  },
);

// Denies a pending request with a reason the requester sees.
export const denyKeyRequestAction = defineAction(
  { schema: denyKeyRequestSchema, auth: { capability: "requests.review" } },
  async ({ id, reason }, { member, ip }): Promise<{ id: string }> => {
    await denyKeyRequest(member, id, reason, { ip });
    revalidateRequests(member);
    return { id };
  },
);

// The requester's one reveal: the key is created now and the result carries its secret, the only time it is sent.
export const revealKeyRequestAction = defineAction(
  { schema: keyRequestIdSchema, auth: { capability: "keys.request" } },
  async ({ id }, { current, member, ip }): Promise<KeyWithSecret> => {
    const { key, secret } = await revealKeyRequest(member, id, { ip }, { authorize: keyStepUpGuard(current) });
    revalidateRequests(member);
    revalidatePath(`/dashboard/${member.organization.slug}/keys`);
    return { key, secret };
  },
);
