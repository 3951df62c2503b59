// Loading state for the admin pages.
import { ChartSkeleton } from "@/components/usage/chart-skeleton";

export default function Loading() {
  return (
    <div className="space-y-6">
      <div className="h-8 w-32 animate-pulse rounded bg-slate-200" />
      <ChartSkeleton label="Loading accounts…" />
    </div>
  );
}
