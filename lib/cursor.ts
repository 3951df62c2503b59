// Opaque keyset cursors over (createdAt, id), newest first: constant cost at any depth, and no row skipped or repeated
// when rows are inserted between pages (a new row is newer than every cursor already handed out).
import { ApiError } from "./errors";

export type Page<T> = { data: T[]; nextCursor: string | null };
type Positioned = { createdAt: Date; id: string };

const CURSOR = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/;

function encodeCursor(row: Positioned): string {
  return Buffer.from(`${row.createdAt.getTime()}.${row.id}`).toString("base64url");
}

// The position a cursor names; one this module did not write is invalid_request naming `cursor`.
export function decodeCursor(cursor: string): Positioned {
  const match = CURSOR.exec(Buffer.from(cursor, "base64url").toString());
  if (!match) throw new ApiError("invalid_request", "Unknown cursor", "cursor");
  return { createdAt: new Date(Number(match[1])), id: match[2] };
}

// Rows after the cursor, newest first, as a Prisma where clause; the redundant upper bound lets PostgreSQL start the
// index scan at the cursor instead of filtering from the top.
export function afterCursor(cursor: string | undefined) {
  if (!cursor) return {};
  const after = decodeCursor(cursor);
  return {
    createdAt: { lte: after.createdAt },
    OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
  };
}

export const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

// Splits the limit + 1 rows a query fetched into the page and the cursor of the next one.
export function toPage<T extends Positioned, R>(rows: T[], limit: number, map: (row: T) => R): Page<R> {
  const shown = rows.slice(0, limit);
  return { data: shown.map(map), nextCursor: rows.length > limit ? encodeCursor(shown[shown.length - 1]) : null };
}

// Whether a string is a cursor this module wrote (pages fall back to the first page on one it did not).
export function isCursor(cursor: string): boolean {
  return CURSOR.test(Buffer.from(cursor, "base64url").toString());
}
