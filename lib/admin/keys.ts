// Administration of every organization's keys: the searchable list and revoking any key (audited with the administrator as actor).
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { ApiError } from "../errors";
import { afterCursor, NEWEST_FIRST, toPage, type KeyPage } from "../keys/list";
import { toKeyObject, type KeyObject } from "../keys/record";
import { revokeFoundKey, type KeyWriteOptions } from "../keys/service";
import { assertAdmin, type Actor } from "./accounts";

export type AdminKeyRow = KeyObject & { organization: { id: string; slug: string; name: string } };

// One page of every key, newest first: `q` matches the start of the prefix or any part of the name (case-insensitive).
export async function listKeysForAdmin(
  actor: Actor,
  opts: { q?: string; cursor?: string; limit: number },
): Promise<KeyPage<AdminKeyRow>> {
  assertAdmin(actor);
  const q = opts.q?.trim();
  const search: Prisma.ApiKeyWhereInput = q
    ? { OR: [{ prefix: { startsWith: q } }, { name: { contains: q, mode: "insensitive" } }] }
    : {};
  const rows = await db.apiKey.findMany({
    where: { AND: [search, afterCursor(opts.cursor)] },
    orderBy: NEWEST_FIRST,
    take: opts.limit + 1,
    include: { organization: { select: { id: true, slug: true, name: true } } },
  });
  return toPage(rows, opts.limit, (k) => ({ ...toKeyObject(k), organization: k.organization }));
}

// Revokes any account's key now; revoking a revoked key answers the same.
export async function revokeKeyForAdmin(
  actor: Actor,
  keyId: string,
  ip: string | null,
  opts: KeyWriteOptions = {},
): Promise<KeyObject> {
  assertAdmin(actor);
  return revokeFoundKey(
    async (tx) => {
      const key = await tx.apiKey.findUnique({ where: { id: keyId } });
      if (!key) throw new ApiError("not_found", "No key with this id");
      return { key, actor: actor.id };
    },
    { ip },
    opts,
  );
}
