// The busiest keys of a range, as a ranked list with request counts and success rates.
import Link from "next/link";
import type { KeyTotals } from "@/lib/usage/queries";
import { formatRate } from "./format";

export function TopKeys({ keys, usagePath }: { keys: KeyTotals[]; usagePath: string }) {
  return (
    <section aria-labelledby="top-keys" className="rounded-xl border border-slate-200 bg-white p-4">
      <h2 id="top-keys" className="mb-3 font-medium">
        Top keys
      </h2>
      {keys.length === 0 ? (
        <p className="text-sm text-slate-600">No requests in this range yet</p>
      ) : (
        <ol className="divide-y divide-slate-100">
          {keys.map((k) => (
            <li key={k.keyId} className="flex items-center justify-between gap-4 py-2 text-sm">
              <Link
                href={`${usagePath}?keyId=${encodeURIComponent(k.keyId)}`}
                className="font-medium text-brand-700 hover:underline"
              >
                {k.name}
              </Link>
              <span className="tabular-nums text-slate-700">
                {k.total.toLocaleString("en-US")} requests ·{" "}
                {formatRate(k.total ? (k.outcomes.valid ?? 0) / k.total : null)} valid
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
