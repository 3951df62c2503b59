// A key's status (active, expiring soon, expired, revoked) as a coloured badge.
import type { KeyStatus } from "@/lib/keys/status";

const looks: Record<KeyStatus, { label: string; className: string }> = {
  active: { label: "Active", className: "bg-emerald-50 text-emerald-800 border-emerald-200" },
  expiring: { label: "Expiring soon", className: "bg-amber-50 text-amber-900 border-amber-200" },
  expired: { label: "Expired", className: "bg-slate-100 text-slate-700 border-slate-300" },
  revoked: { label: "Revoked", className: "bg-red-50 text-red-800 border-red-200" },
};

export function KeyStatusBadge({ status }: { status: KeyStatus }) {
  const look = looks[status];
  return (
    <span className={`inline-block rounded-full border px-2 py-0.5 text-xs font-medium ${look.className}`}>
      {look.label}
    </span>
  );
}
