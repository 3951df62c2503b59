"use client";
// Stacked bar chart of requests per bucket by outcome (Recharts), with legend, tooltip and an empty state.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { outcomeLabel, type UsageOutcome } from "@/lib/usage/outcomes";
import type { ChartRow } from "./chart-data";
import { OUTCOME_COLORS } from "./outcome-colors";

export function UsageChartView({
  rows,
  outcomes,
  title,
  timeZone,
}: {
  rows: ChartRow[];
  outcomes: UsageOutcome[];
  title: string;
  timeZone: string;
}) {
  const total = rows.reduce((s, r) => s + r.total, 0);
  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-4">
      <figcaption className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">{title}</span>
        <span className="text-xs text-slate-500">Times in {timeZone}</span>
      </figcaption>
      {total === 0 ? (
        <div className="flex h-64 items-center justify-center rounded-lg border border-dashed border-slate-300 text-sm text-slate-600">
          No requests in this range yet
        </div>
      ) : (
        <div
          className="h-72"
          role="img"
          aria-label={`${title}: ${total.toLocaleString("en-US")} requests, stacked by outcome`}
        >
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rows} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={{ fontSize: 12 }} minTickGap={24} />
              <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
              <Tooltip
                cursor={{ fill: "#f1f5f9" }}
                formatter={(value, name) => [Number(value).toLocaleString("en-US"), name]}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} />
              {outcomes.map((o) => (
                <Bar
                  key={o}
                  dataKey={o}
                  name={outcomeLabel(o)}
                  stackId="requests"
                  fill={OUTCOME_COLORS[o]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
