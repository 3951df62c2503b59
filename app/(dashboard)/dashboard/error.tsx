"use client";
// Error state for dashboard pages: a plain message and a retry, never a stack trace.
export default function DashboardError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-6">
      <p className="font-medium text-red-800">Something went wrong loading this page.</p>
      <button
        type="button"
        onClick={reset}
        className="mt-3 rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm"
      >
        Try again
      </button>
    </div>
  );
}
