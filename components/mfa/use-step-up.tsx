"use client";
// Step-up for sensitive forms. Usage: const { run, stepUpDialog } = useStepUp(); const result = await run(() => revokeKeyAction(id)); render {stepUpDialog}.
import { useCallback, useRef, useState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { runWithStepUp } from "@/lib/mfa/run-with-step-up";
import { StepUpDialog } from "./step-up-dialog";

// `run` resolves with the action's result; on step_up_required it first asks for a code inline and re-runs the action.
export function useStepUp() {
  const [open, setOpen] = useState(false);
  const resolver = useRef<((passed: boolean) => void) | null>(null);

  const confirm = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        resolver.current = resolve;
        setOpen(true);
      }),
    [],
  );

  const run = useCallback(<T,>(action: () => Promise<ActionResult<T>>) => runWithStepUp(action, confirm), [confirm]);

  const onDone = useCallback((passed: boolean) => {
    setOpen(false);
    resolver.current?.(passed);
    resolver.current = null;
  }, []);

  return { run, stepUpDialog: <StepUpDialog open={open} onDone={onDone} /> };
}
