// Inline message box for form-level errors, warnings and notices.
const tones = {
  error: "border-red-200 bg-red-50 text-red-800",
  warning: "border-amber-200 bg-amber-50 text-amber-900",
  info: "border-brand-100 bg-brand-50 text-brand-700",
  success: "border-emerald-200 bg-emerald-50 text-emerald-800",
};

// The box classes of a tone, for messages placed inside a live region of their own.
export function alertClass(tone: keyof typeof tones): string {
  return `rounded-md border px-3 py-2 text-sm ${tones[tone]}`;
}

export function Alert({
  tone = "info",
  children,
  role,
}: {
  tone?: keyof typeof tones;
  children: React.ReactNode;
  role?: "alert" | "status";
}) {
  return (
    <div role={role ?? (tone === "error" ? "alert" : "status")} className={alertClass(tone)}>
      {children}
    </div>
  );
}
