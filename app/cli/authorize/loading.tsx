// Loading state of the CLI's approval page.
export default function Loading() {
  return <p className="text-sm text-slate-600">Loading…</p>;
}
