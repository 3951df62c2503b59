// Preset range switcher (links, so it works without JavaScript).
import Link from "next/link";

export const RANGE_LABELS = { "24h": "last 24 hours", "7d": "last 7 days", "30d": "last 30 days" } as const;
export type PresetRange = keyof typeof RANGE_LABELS;

export function RangeTabs({ current, basePath }: { current: PresetRange; basePath: string }) {
  return (
    <nav aria-label="Range" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 text-sm">
      {(Object.keys(RANGE_LABELS) as PresetRange[]).map((r) => (
        <Link
          key={r}
          href={`${basePath}?range=${r}`}
          aria-current={r === current ? "page" : undefined}
          className={`rounded px-3 py-1 ${r === current ? "bg-brand-600 text-white" : "text-slate-700 hover:bg-slate-100"}`}
        >
          {r}
        </Link>
      ))}
    </nav>
  );
}
