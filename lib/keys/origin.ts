// Where a key came from, as its page tells it: who created it, and whether it was made from an approved key request
// (and who approved it).
import { db } from "../db";

export type KeyOrigin = { creatorEmail: string | null; fromRequest: boolean; approverEmail: string | null };

// A key's origin; a creator or approver whose account is gone reads as null.
export async function getKeyOrigin(key: { id: string; createdBy: string | null }): Promise<KeyOrigin> {
  const [creator, request] = await Promise.all([
    key.createdBy ? db.user.findUnique({ where: { id: key.createdBy }, select: { email: true } }) : null,
    db.keyRequest.findUnique({ where: { keyId: key.id }, select: { decidedById: true } }),
  ]);
  const approver = request?.decidedById
    ? await db.user.findUnique({ where: { id: request.decidedById }, select: { email: true } })
    : null;
  return {
    creatorEmail: creator?.email ?? null,
    fromRequest: request !== null,
    approverEmail: approver?.email ?? null,
  };
}
