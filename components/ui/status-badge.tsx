// A status as a coloured pill: its label in the colours of its tone.
export type StatusTone = "positive" | "warning" | "neutral" | "negative";

const TONES: Record<StatusTone, string> = {
  positive: "bg-emerald-50 text-emerald-800 border-emerald-200",
  warning: "bg-amber-50 text-amber-900 border-amber-200",
  neutral: "bg-slate-100 text-slate-700 border-slate-300",
  negative: "bg-red-50 text-red-800 border-red-200",
};

export function StatusBadge({ label, tone }: { label: string; tone: StatusTone }) {
  return (
    <span className={`inline-block rounded-full border px-2 py-0.5 text-xs font-medium ${TONES[tone]}`}>{label}</span>
  );
}

// A badge component for one kind of status, from each status's label and tone.
export function statusBadge<S extends string>(looks: Record<S, { label: string; tone: StatusTone }>) {
  return function Badge({ status }: { status: S }) {
    return <StatusBadge {...looks[status]} />;
  };
}
