"use client";
// The key page's "Rate limit" section: the key's own requests-per-minute limit, blank for the plan's default.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { updateKeyAction } from "@/lib/actions/keys";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { KeyObject } from "@/lib/keys/record";
import { useFormAction } from "@/components/ui/use-form-action";
import { ActionError } from "./action-error";
import { RateLimitField, rateLimitFromForm } from "./rate-limit-field";

const FIELDS = ["rateLimit"] as const;

export function RateLimitForm({ keyObject, planLimit }: { keyObject: KeyObject; planLimit: number }) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const action = useFormAction(updateKeyAction, {
    fields: FIELDS,
    stepUp: true,
    toInput: (form) => {
      setSaved(false);
      return { id: keyObject.id, rateLimit: rateLimitFromForm(form) };
    },
    onSuccess: () => {
      setSaved(true);
      router.refresh();
    },
  });

  return (
    <>
      <form {...action.formProps} noValidate className="flex flex-col gap-1" aria-label="Rate limit">
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
