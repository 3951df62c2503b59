"use client";
// The key page's "IP allowlist" section: edit the entries and save (MFA enrolled and a step-up code required); the saved
// list comes back normalised.
import { useOrg } from "@/components/orgs/org-context";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { updateKeyAction } from "@/lib/actions/keys";
import { Alert } from "@/components/ui/alert";
import { FormButtons } from "@/components/ui/form-buttons";
import type { KeyObject } from "@/lib/keys/record";
import { useStepUpFormAction } from "@/components/mfa/step-up-provider";
import { ActionError } from "./action-error";
import { AllowlistMfaNotice } from "./allowlist-mfa-notice";
import { fromDrafts, IpAllowlistEditor, toDrafts, type AllowlistDraft } from "./ip-allowlist-editor";

const FIELDS = ["ipAllowlist"] as const;

export function IpAllowlistForm({ keyObject, mfaEnabled }: { keyObject: KeyObject; mfaEnabled: boolean }) {
  const { slug } = useOrg();
  const router = useRouter();
  const [drafts, setDrafts] = useState(() => toDrafts(keyObject.ipAllowlist));
  const action = useStepUpFormAction(updateKeyAction, {
    fields: FIELDS,
    toInput: () => {
      return { org: slug, id: keyObject.id, ipAllowlist: fromDrafts(drafts) };
    },
    onSuccess: (key) => {
      setDrafts(toDrafts(key.ipAllowlist));
      router.refresh();
    },
  });

  function edit(next: AllowlistDraft[]) {
    setDrafts(next);
  }

  return (
    <form {...action.formProps} noValidate className="flex flex-col gap-2" aria-label="IP allowlist">
      {mfaEnabled ? null : <AllowlistMfaNotice />}
      <ActionError failure={action.failure} />
      {action.result?.ok ? <Alert tone="success">IP allowlist saved.</Alert> : null}
      <IpAllowlistEditor value={drafts} onChange={edit} errors={action.errors} disabled={!mfaEnabled} />
      <FormButtons label="Save allowlist" pendingLabel="Saving…" pending={action.pending} disabled={!mfaEnabled} />
    </form>
  );
}
