"use client";
// The key page's "Rate limit" section: the key's own requests-per-minute limit, blank for the plan's default.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { updateKeyAction } from "@/lib/actions/keys";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { KeyObject } from "@/lib/keys/record";
import { updateKeySchema } from "@/lib/validations/keys";
import { fieldErrors } from "@/lib/validations/field-errors";
import { ActionError } from "./action-error";
import { RateLimitField, rateLimitFromForm } from "./rate-limit-field";
import { useKeyAction } from "./use-key-action";

const FIELDS = ["rateLimit"] as const;

export function RateLimitForm({ keyObject, planLimit }: { keyObject: KeyObject; planLimit: number }) {
  const router = useRouter();
  const action = useKeyAction(FIELDS);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const input = { rateLimit: rateLimitFromForm(new FormData(event.currentTarget)) };
    const local = updateKeySchema.safeParse(input);
    if (!local.success) return action.setErrors(fieldErrors(local.error));
    if (await action.run(() => updateKeyAction({ id: keyObject.id, ...input }))) {
      setSaved(true);
      router.refresh();
    }
  }

  return (
    <>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-1" aria-label="Rate limit">
        <ActionError failure={action.failure} />
        {saved ? <Alert tone="success">Rate limit saved.</Alert> : null}
        <RateLimitField planLimit={planLimit} defaultValue={keyObject.rateLimit} error={action.errors.rateLimit} />
        <div>
          <Button type="submit" disabled={action.pending}>
            {action.pending ? "Saving…" : "Save rate limit"}
          </Button>
        </div>
      </form>
      {action.stepUpDialog}
    </>
  );
}
