// Totals table: one row per key, one column per outcome present, with a totals row; accessible table markup.
import { EmptyTable, Table, TBody, TD, TFoot, TH, THead } from "@/components/ui/table";
import { outcomeLabel, USAGE_OUTCOMES } from "@/lib/usage/outcomes";
import type { UsageTotals } from "@/lib/usage/queries";
import { OUTCOME_COLORS } from "./outcome-colors";

const n = (v: number | undefined) => (v ?? 0).toLocaleString("en-US");

const latency = (ms: number | null) => (ms === null ? "–" : `${ms} ms`);

export function UsageTotalsTable({ totals, caption }: { totals: UsageTotals; caption: string }) {
  const outcomes = USAGE_OUTCOMES.filter((o) => totals.outcomes[o]);
  if (totals.total === 0) return <EmptyTable title="No requests in this range yet" />;
  return (
    <Table caption={caption} showCaption>
      <THead>
        <TH>Key</TH>
        {outcomes.map((o) => (
          <TH key={o} numeric>
            <span
              className="mr-1 inline-block h-2 w-2 rounded-full"
              style={{ backgroundColor: OUTCOME_COLORS[o] }}
              aria-hidden
            />
            {outcomeLabel(o)}
          </TH>
        ))}
        <TH numeric>Total</TH>
        <TH numeric>Credits spent</TH>
        <TH numeric>Avg latency</TH>
      </THead>
      <TBody>
        {totals.keys.map((k) => (
          <tr key={k.keyId}>
            <TH scope="row">
              {k.name}
              {k.prefix ? <span className="ml-2 font-mono text-xs text-slate-500">{k.prefix}…</span> : null}
            </TH>
            {outcomes.map((o) => (
              <TD key={o} numeric>
                {n(k.outcomes[o])}
              </TD>
            ))}
            <TD numeric className="font-medium">
              {n(k.total)}
            </TD>
            <TD numeric>{n(k.credits)}</TD>
            <TD numeric>{latency(k.avgLatencyMs)}</TD>
          </tr>
        ))}
      </TBody>
      <TFoot>
        <TH scope="row">All keys</TH>
        {outcomes.map((o) => (
          <TD key={o} numeric>
            {n(totals.outcomes[o])}
          </TD>
        ))}
        <TD numeric>{n(totals.total)}</TD>
        <TD numeric>{n(totals.credits)}</TD>
        <TD numeric>{latency(totals.avgLatencyMs)}</TD>
      </TFoot>
    </Table>
  );
}
