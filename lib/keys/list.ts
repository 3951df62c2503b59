// Listing keys a page at a time, newest first, by keyset cursor (constant cost at any depth); the cursor helpers also
// serve the administrators' list of every organization's keys (lib/admin/keys).
import { db } from "../db";
import { afterCursor, NEWEST_FIRST, toPage, type Page } from "../cursor";
import { toKeyObject, type KeyObject } from "./record";

export type KeyPage<T> = Page<T>;
export { afterCursor, NEWEST_FIRST, toPage };

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
