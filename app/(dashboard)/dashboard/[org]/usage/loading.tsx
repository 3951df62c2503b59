// Loading state for the usage page: the filters' and chart's footprint.
import { ChartSkeleton } from "@/components/usage/chart-skeleton";

export default function Loading() {
  return (
    <div className="space-y-6">
      <div className="h-8 w-32 animate-pulse rounded bg-slate-200" />
      <div className="h-20 animate-pulse rounded-xl bg-slate-200" />
      <ChartSkeleton />
    </div>
  );
}
