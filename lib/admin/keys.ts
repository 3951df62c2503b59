// Administration of every account's keys: the searchable list and revoking any key (audited with the administrator as actor).
import { listAllKeys, revokeKeyAsAdmin, type AdminKeyRow } from "../keys/service";
import type { KeyObject } from "../keys/record";
import { assertAdmin, type Actor } from "./accounts";

// One page of every key, newest first, matching `q` (prefix start or part of the name).
export async function listKeysForAdmin(actor: Actor, opts: { q?: string; cursor?: string; limit: number }): Promise<{ data: AdminKeyRow[]; nextCursor: string | null }> {
  assertAdmin(actor);
  return listAllKeys(opts);
}

// Revokes any account's key now; revoking a revoked key answers the same.
export async function revokeKeyForAdmin(actor: Actor, keyId: string, ip: string | null): Promise<KeyObject> {
  assertAdmin(actor);
  return revokeKeyAsAdmin(actor.id, keyId, { ip });
}
