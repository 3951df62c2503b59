// Client-side step-up flow, free of React: run an action; if it needs a fresh code, ask for one and run it again.
import type { ActionResult } from "@/lib/actions/result";

// Runs `action`; on step_up_required awaits `confirm()` (true once a code passed) and re-runs it; otherwise returns its result.
export async function runWithStepUp<T>(
  action: () => Promise<ActionResult<T>>,
  confirm: () => Promise<boolean>,
): Promise<ActionResult<T>> {
  const first = await action();
  if (first.ok || first.code !== "step_up_required") return first;
  if (!(await confirm())) return first;
  return action();
}
