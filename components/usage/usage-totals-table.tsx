// Totals table: one row per key, one column per outcome present, with a totals row; accessible table markup.
import { outcomeLabel, USAGE_OUTCOMES } from "@/lib/usage/outcomes";
import type { UsageTotals } from "@/lib/usage/queries";
import { OUTCOME_COLORS } from "./outcome-colors";

const n = (v: number | undefined) => (v ?? 0).toLocaleString("en-US");

export function UsageTotalsTable({ totals, caption }: { totals: UsageTotals; caption: string }) {
  const outcomes = USAGE_OUTCOMES.filter((o) => totals.outcomes[o]);
  if (totals.total === 0) {
    return <p className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">No requests in this range yet</p>;
  }
  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="min-w-full text-sm">
        <caption className="px-4 py-3 text-left font-medium">{caption}</caption>
        <thead className="border-y border-slate-200 bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-4 py-2">Key</th>
            {outcomes.map((o) => (
              <th key={o} scope="col" className="px-4 py-2 text-right">
                <span className="mr-1 inline-block h-2 w-2 rounded-full" style={{ backgroundColor: OUTCOME_COLORS[o] }} aria-hidden />
                {outcomeLabel(o)}
              </th>
            ))}
            <th scope="col" className="px-4 py-2 text-right">Total</th>
            <th scope="col" className="px-4 py-2 text-right">Avg latency</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {totals.keys.map((k) => (
            <tr key={k.keyId}>
              <th scope="row" className="px-4 py-2 text-left font-medium">
                {k.name}
                {k.prefix ? <span className="ml-2 font-mono text-xs text-slate-500">{k.prefix}…</span> : null}
              </th>
              {outcomes.map((o) => (
                <td key={o} className="px-4 py-2 text-right tabular-nums">{n(k.outcomes[o])}</td>
              ))}
              <td className="px-4 py-2 text-right font-medium tabular-nums">{n(k.total)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{k.avgLatencyMs === null ? "–" : `${k.avgLatencyMs} ms`}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t border-slate-200 bg-slate-50 font-medium">
          <tr>
            <th scope="row" className="px-4 py-2 text-left">All keys</th>
            {outcomes.map((o) => (
              <td key={o} className="px-4 py-2 text-right tabular-nums">{n(totals.outcomes[o])}</td>
            ))}
            <td className="px-4 py-2 text-right tabular-nums">{n(totals.total)}</td>
            <td className="px-4 py-2 text-right tabular-nums">{totals.avgLatencyMs === null ? "–" : `${totals.avgLatencyMs} ms`}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
