"use client";
// The key page's "Rate limit" section: the key's own requests-per-minute limit, blank for the plan's default.
import { useOrg } from "@/components/orgs/org-context";
import { useRouter } from "next/navigation";
import { updateKeyAction } from "@/lib/actions/keys";
import { Alert } from "@/components/ui/alert";
import { FormButtons } from "@/components/ui/form-buttons";
import type { KeyObject } from "@/lib/keys/record";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { ActionError } from "./action-error";
import { RateLimitField, rateLimitFromForm } from "./rate-limit-field";

const FIELDS = ["rateLimit"] as const;

export function RateLimitForm({ keyObject, planLimit }: { keyObject: KeyObject; planLimit: number }) {
  const { slug } = useOrg();
  const router = useRouter();
  const action = useStepUpFormAction(updateKeyAction, {
    fields: FIELDS,
    toInput: (form) => {
      return { org: slug, id: keyObject.id, rateLimit: rateLimitFromForm(form) };
    },
    onSuccess: () => {
      router.refresh();
    },
  });

  return (
    <form {...action.formProps} noValidate className="flex flex-col gap-1" aria-label="Rate limit">
      <ActionError failure={action.failure} />
      {action.result?.ok ? <Alert tone="success">Rate limit saved.</Alert> : null}
      <RateLimitField planLimit={planLimit} defaultValue={keyObject.rateLimit} error={action.errors.rateLimit} />
      <FormButtons label="Save rate limit" pendingLabel="Saving…" pending={action.pending} />
    </form>
  );
}
