"use client";
// Error state of the CLI's approval page: a plain message and a retry, never a stack trace.
export default function AuthorizeError({ reset }: { error: Error; reset: () => void }) {
  return (
    <div role="alert">
      <p className="font-medium text-red-800">Something went wrong loading this page.</p>
      <button type="button" onClick={reset} className="mt-3 rounded-md border border-red-300 px-3 py-1.5 text-sm">
        Try again
      </button>
    </div>
  );
}
