"use client";
// Add a webhook endpoint: URL, description and the events to send; the signing secret is then shown once. The reveal
// lives here, in a component the page always renders, so the page's refresh after the action does not unmount it.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionError } from "@/components/keys/action-error";
import { SecretReveal } from "@/components/keys/secret-reveal";
import { useOrg } from "@/components/orgs/org-context";
import { FormButtons } from "@/components/ui/form-buttons";
import { TextField } from "@/components/ui/text-field";
import { useFormAction } from "@/components/ui/use-form-action";
import { createWebhookAction } from "@/lib/actions/webhooks";
import type { EventType } from "@/lib/events/types";
import { EventsField } from "./events-field";

export function CreateWebhookForm() {
  const { slug } = useOrg();
  const router = useRouter();
  const [created, setCreated] = useState<{ secret: string; url: string } | null>(null);
  const form = useFormAction(createWebhookAction, {
    fields: ["url", "description", "events"],
    toInput: (data) => ({
      org: slug,
      url: String(data.get("url") ?? ""),
      description: String(data.get("description") ?? ""),
      events: data.getAll("events").map(String) as EventType[],
    }),
    onSuccess: ({ secret, webhook }) => {
      setCreated({ secret, url: webhook.url });
      router.refresh();
    },
  });

  if (created) {
    return (
      <SecretReveal
        secret={created.secret}
        label={`Signing secret for ${created.url}`}
        warning="Copy this signing secret now: your receiver verifies every delivery with it. It will not be shown again."
        onDone={() => {
          setCreated(null);
          form.reset();
        }}
      />
    );
  }

  return (
    <form {...form.formProps} noValidate className="flex flex-col gap-3">
      <ActionError failure={form.failure} />
      <TextField
        label="Endpoint URL"
        name="url"
        type="url"
        placeholder="https://example.com/webhooks/keyhold"
        required
        error={form.errors.url}
        hint="https only; private and loopback addresses are refused."
      />
      <TextField label="Description (optional)" name="description" error={form.errors.description} />
      <EventsField error={form.errors.events} />
      <FormButtons label="Add endpoint" pendingLabel="Adding…" pending={form.pending} />
    </form>
  );
}
