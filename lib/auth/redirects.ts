// Safe post-sign-in destinations: only same-site paths, never another origin.

// Returns `next` when it is a local path, else the dashboard.
export function safeNextPath(next: string | null | undefined, fallback = "/dashboard"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  return next;
}
