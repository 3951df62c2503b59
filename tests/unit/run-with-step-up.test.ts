import { describe, expect, it } from "vitest";
import { fail, ok, type ActionResult } from "@/lib/actions/result";
import { runWithStepUp } from "@/components/mfa/run-with-step-up";

// A stand-in server action that needs a step-up until `steppedUp` is set, counting its calls.
function guardedAction(state: { steppedUp: boolean; calls: number }) {
  return async (): Promise<ActionResult<string>> => {
    state.calls++;
    return state.steppedUp
      ? ok("done")
      : fail("step_up_required", "Enter a code from your authenticator app to continue.");
  };
}

describe("runWithStepUp", () => {
  it("returns a result that needs no step-up without asking", async () => {
    let asked = 0;
    const state = { steppedUp: true, calls: 0 };
    expect(await runWithStepUp(guardedAction(state), async () => (asked++, true))).toEqual({ ok: true, data: "done" });
    expect(asked).toBe(0);
    expect(state.calls).toBe(1);
  });

  it("asks for a code and completes the same action once it passes", async () => {
    const state = { steppedUp: false, calls: 0 };
    const result = await runWithStepUp(guardedAction(state), async () => {
      state.steppedUp = true;
      return true;
    });
    expect(result).toEqual({ ok: true, data: "done" });
    expect(state.calls).toBe(2);
  });

  it("returns the refusal without re-running when the user cancels", async () => {
    const state = { steppedUp: false, calls: 0 };
    const result = await runWithStepUp(guardedAction(state), async () => false);
    expect(result).toMatchObject({ ok: false, code: "step_up_required" });
    expect(state.calls).toBe(1);
  });

  it("passes mfa_required and other failures straight back for the caller to show", async () => {
    let asked = 0;
    const result = await runWithStepUp(
      async () => fail("mfa_required", "Enable two-factor authentication first."),
      async () => (asked++, true),
    );
    expect(result).toMatchObject({ ok: false, code: "mfa_required" });
    expect(asked).toBe(0);
  });
});
