// A key request's status as a coloured badge.
import type { KeyRequestView } from "@/lib/orgs/key-requests";

const looks: Record<KeyRequestView, { label: string; className: string }> = {
  pending: { label: "Pending", className: "bg-amber-50 text-amber-900 border-amber-200" },
  approved: { label: "Approved", className: "bg-emerald-50 text-emerald-800 border-emerald-200" },
  denied: { label: "Denied", className: "bg-red-50 text-red-800 border-red-200" },
  revealed: { label: "Revealed", className: "bg-slate-100 text-slate-700 border-slate-300" },
  expired: { label: "Expired", className: "bg-slate-100 text-slate-700 border-slate-300" },
};

export function RequestStatusBadge({ status }: { status: KeyRequestView }) {
  const look = looks[status];
  return (
    <span className={`inline-block rounded-full border px-2 py-0.5 text-xs font-medium ${look.className}`}>
      {look.label}
    </span>
  );
}
