// Keyset pagination links: back to the newest page, and on to older entries.
import Link from "next/link";
import { buttonClass } from "./button";

export function CursorPager({ basePath, cursor, nextCursor, label }: { basePath: string; cursor?: string; nextCursor: string | null; label: string }) {
  if (!cursor && !nextCursor) return null;
  return (
    <nav aria-label={`${label} pages`} className="mt-4 flex justify-between gap-2">
      {cursor ? (
        <Link href={basePath} className={buttonClass("secondary")}>
          ← Newest
        </Link>
      ) : (
        <span />
      )}
      {nextCursor ? (
        <Link href={`${basePath}?cursor=${encodeURIComponent(nextCursor)}`} className={buttonClass("secondary")}>
          Older →
        </Link>
      ) : null}
    </nav>
  );
}
