// Placeholder with the chart's footprint while usage loads.
export function ChartSkeleton({ label = "Loading usage…" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="animate-pulse rounded-xl border border-slate-200 bg-white p-4">
      <span className="sr-only">{label}</span>
      <div className="mb-3 h-4 w-32 rounded bg-slate-200" />
      <div className="h-64 rounded-lg bg-slate-100" />
    </div>
  );
}
