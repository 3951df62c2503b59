// Where and when a key was found in public: "on 12 Mar 2026, 14:05 UTC (GitHub secret scanning https://…)"; the URL is
// a link only when it is http(s), and never passes the dashboard's address on.
import { leakSourceLabel, type LeakNotice } from "@/lib/leaks/notices";
import { formatDateTime } from "@/lib/format-date";

export function LeakPlace({ notice }: { notice: LeakNotice }) {
  const link = notice.url && /^https?:\/\//i.test(notice.url);
  return (
    <>
      on {formatDateTime(notice.foundAt)} ({leakSourceLabel(notice.source)}
      {notice.url ? " " : ""}
      {link ? (
        <a href={notice.url!} rel="nofollow noopener noreferrer" target="_blank" className="break-all underline">
          {notice.url}
        </a>
      ) : (
        <span className="break-all">{notice.url}</span>
      )}
      {notice.places > 1 ? `, and ${notice.places - 1} more place${notice.places === 2 ? "" : "s"}` : ""})
    </>
  );
}
