"use client";
// Per-account admin controls: change plan, suspend or restore; the outcome is announced in a live region.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { changePlanAction, setSuspendedAction } from "@/lib/actions/admin";
import { Button } from "@/components/ui/button";
import { PLANS } from "@/lib/validations/admin";

export function AccountActions({ userId, email, plan, suspended, isSelf }: { userId: string; email: string; plan: string; suspended: boolean; isSelf: boolean }) {
  const router = useRouter();
  const [selected, setSelected] = useState(plan);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const run = (action: () => Promise<{ ok: true } | { ok: false; message: string }>, done: string) =>
    startTransition(async () => {
      const result = await action();
      setMessage(result.ok ? { tone: "ok", text: done } : { tone: "error", text: result.message });
      if (result.ok) router.refresh();
    });

  const planId = `plan-${userId}`;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor={planId} className="sr-only">
        Plan for {email}
      </label>
      <select id={planId} value={selected} onChange={(e) => setSelected(e.target.value)} className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
        {PLANS.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <Button
        look="secondary"
        className="px-2 py-1"
        disabled={pending || selected === plan}
        aria-label={`Change plan for ${email}`}
        onClick={() => run(() => changePlanAction({ userId, plan: selected as (typeof PLANS)[number] }), `Plan changed to ${selected}`)}
      >
        Change plan
      </Button>
      {isSelf ? null : suspended ? (
        <Button look="secondary" className="px-2 py-1" disabled={pending} aria-label={`Restore ${email}`} onClick={() => run(() => setSuspendedAction({ userId, suspended: false }), "Account restored")}>
          Restore
        </Button>
      ) : (
        <Button look="danger" className="px-2 py-1" disabled={pending} aria-label={`Suspend ${email}`} onClick={() => run(() => setSuspendedAction({ userId, suspended: true }), "Account suspended")}>
          Suspend
        </Button>
      )}
      <span role="status" aria-live="polite" className={`text-xs ${message?.tone === "error" ? "text-red-600" : "text-emerald-700"}`}>
        {message?.text ?? ""}
      </span>
    </div>
  );
}
