// Listing keys a page at a time, newest first, by keyset cursor (constant cost at any depth); the cursor helpers also
// serve the administrators' list of every organization's keys (lib/admin/keys).
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { ApiError } from "../api/errors";
import { toKeyObject, type KeyObject } from "./record";

export type KeyPage<T> = { data: T[]; nextCursor: string | null };

function encodeCursor(key: { createdAt: Date; id: string }): string {
  return Buffer.from(`${key.createdAt.getTime()}.${key.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) throw new ApiError("invalid_request", "Unknown cursor", "cursor");
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

// Keys after the cursor, newest first; the redundant upper bound lets PostgreSQL start the index scan at the cursor
// instead of filtering from the top.
export function afterCursor(cursor: string | undefined): Prisma.ApiKeyWhereInput {
  if (!cursor) return {};
  const after = decodeCursor(cursor);
  return {
    createdAt: { lte: after.createdAt },
    OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
  };
}

export const NEWEST_FIRST = [{ createdAt: "desc" }, { id: "desc" }] satisfies Prisma.ApiKeyOrderByWithRelationInput[];

// Splits the limit + 1 rows a query fetched into the page and the cursor of the next one.
export function toPage<T extends { createdAt: Date; id: string }, R>(
  rows: T[],
  limit: number,
  map: (row: T) => R,
): KeyPage<R> {
  const shown = rows.slice(0, limit);
  return { data: shown.map(map), nextCursor: rows.length > limit ? encodeCursor(shown[shown.length - 1]) : null };
}

// One page of the organization's keys, newest first.
export async function listKeys(
  organizationId: string,
  opts: { cursor?: string; limit: number },
): Promise<KeyPage<KeyObject>> {
  const rows = await db.apiKey.findMany({
    where: { organizationId, ...afterCursor(opts.cursor) },
    orderBy: NEWEST_FIRST,
    take: opts.limit + 1,
  });
  return toPage(rows, opts.limit, toKeyObject);
}

// Whether the organization has ever had a key (the overview's first-key call to action is for those that have none).
export async function hasAnyKey(organizationId: string): Promise<boolean> {
  return (await db.apiKey.findFirst({ where: { organizationId }, select: { id: true } })) !== null;
}
