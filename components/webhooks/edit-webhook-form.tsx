"use client";
// Change an endpoint's URL, description and events; the signing secret stays.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionError } from "@/components/keys/action-error";
import { useOrg } from "@/components/orgs/org-context";
import { FormButtons } from "@/components/ui/form-buttons";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { editWebhookAction } from "@/lib/actions/webhooks";
import type { EventType } from "@/lib/events/types";
import type { WebhookObject } from "@/lib/webhooks/endpoints";
import { EventsField } from "./events-field";

export function EditWebhookForm({ webhook }: { webhook: WebhookObject }) {
  const { slug } = useOrg();
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const form = useFormAction(editWebhookAction, {
    fields: ["url", "description", "events"],
    toInput: (data) => ({
      org: slug,
      id: webhook.id,
      url: String(data.get("url") ?? ""),
      description: String(data.get("description") ?? ""),
      events: data.getAll("events").map(String) as EventType[],
    }),
    onSuccess: () => {
      setSaved(true);
      router.refresh();
    },
  });
  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-3" onChange={() => setSaved(false)}>
      <ActionError failure={form.failure} />
      <TextField
        label="Endpoint URL"
        name="url"
        type="url"
        defaultValue={webhook.url}
        required
        error={form.errors.url}
      />
      <TextField
        label="Description (optional)"
        name="description"
        defaultValue={webhook.description}
        error={form.errors.description}
      />
      <EventsField error={form.errors.events} checked={webhook.events} />
      <FormButtons label="Save changes" pendingLabel="Saving…" pending={form.pending} />
      <p aria-live="polite" className="text-xs text-slate-600">
        {saved ? "Saved." : ""}
      </p>
    </form>
  );
}
