"use client";
// The one step-up dialog of a signed-in layout, and useStepUpFormAction() for the sensitive forms under it: a
// step_up_required answer opens this dialog, then the action runs again.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { useFormAction, type FormActionOptions } from "@/components/ui/use-form-action";
import type { Action } from "@/lib/actions/define-action";
import type { ActionResult } from "@/lib/actions/result";
import { runWithStepUp } from "./run-with-step-up";
import { StepUpDialog } from "./step-up-dialog";

export type StepUp = {
  // Resolves with the action's result; on step_up_required it first asks for a code and re-runs the action.
  run: <T>(action: () => Promise<ActionResult<T>>) => Promise<ActionResult<T>>;
};

const StepUpContext = createContext<StepUp | null>(null);

// Mounted once by the signed-in shell (AppShell: dashboard and admin pages) and by the CLI layout (its approval form).
export function StepUpProvider({ children }: { children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  // Everyone waiting for the open dialog's answer: a second action asking meanwhile shares the one code.
  const waiting = useRef<((passed: boolean) => void)[]>([]);

  const confirm = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        waiting.current.push(resolve);
        setOpen(true);
      }),
    [],
  );

  const onDone = useCallback((passed: boolean) => {
    setOpen(false);
    const answered = waiting.current;
    waiting.current = [];
    for (const resolve of answered) resolve(passed);
  }, []);

  // Leaving the layout with the dialog open cancels: the waiting actions return their refusal.
  useEffect(() => () => onDone(false), [onDone]);

  const value = useMemo<StepUp>(() => ({ run: (action) => runWithStepUp(action, confirm) }), [confirm]);

  return (
    <StepUpContext.Provider value={value}>
      {children}
      <StepUpDialog open={open} onDone={onDone} />
    </StepUpContext.Provider>
  );
}

// The step-up runner of the layout's StepUpProvider.
export function useStepUp(): StepUp {
  const stepUp = useContext(StepUpContext);
  if (!stepUp) throw new Error("useStepUp() needs a <StepUpProvider> in the layout above it");
  return stepUp;
}

// useFormAction for a sensitive action: a step-up code is asked for when the server wants one.
export function useStepUpFormAction<I, T>(action: Action<I, T>, opts: Omit<FormActionOptions<I, T>, "run"> = {}) {
  const stepUp = useStepUp();
  return useFormAction(action, { ...opts, run: stepUp.run });
}
