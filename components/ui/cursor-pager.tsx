// Keyset pagination links: back to the newest page, and on to older entries; `query` keeps filters (e.g. a search) in both.
import Link from "next/link";
import { ArrowLeft, ArrowRight } from "lucide-react";
import { buttonClass } from "./button";

function href(basePath: string, query: Record<string, string | undefined>, cursor?: string): string {
  const params = new URLSearchParams(Object.entries({ ...query, cursor }).filter((e): e is [string, string] => !!e[1]));
  const qs = params.toString();
  return qs ? `${basePath}?${qs}` : basePath;
}

export function CursorPager({
  basePath,
  cursor,
  nextCursor,
  label,
  query = {},
}: {
  basePath: string;
  cursor?: string;
  nextCursor: string | null;
  label: string;
  query?: Record<string, string | undefined>;
}) {
  if (!cursor && !nextCursor) return null;
  return (
    <nav aria-label={`${label} pages`} className="mt-4 flex justify-between gap-2">
      {cursor ? (
        <Link href={href(basePath, query)} className={buttonClass("secondary")}>
          <ArrowLeft aria-hidden="true" className="size-4" />
          Newest
        </Link>
      ) : (
        <span />
      )}
      {nextCursor ? (
        <Link href={href(basePath, query, nextCursor)} className={buttonClass("secondary")}>
          Older
          <ArrowRight aria-hidden="true" className="size-4" />
        </Link>
      ) : null}
    </nav>
  );
}
