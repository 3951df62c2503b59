// The organization's webhook endpoints: URL, events, state (with the notice when Keyhold disabled one after 5 days of
// failures), and their actions.
import Link from "next/link";
import { ConfirmRevokeDialog } from "@/components/keys/confirm-revoke-dialog";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button";
import { EmptyTable } from "@/components/ui/table";
import { deleteWebhookAction, sendTestEventAction, setWebhookEnabledAction } from "@/lib/actions/webhooks";
import { formatDateTime } from "@/lib/format-date";
import type { WebhookObject } from "@/lib/webhooks/endpoints";
import { WebhookActionButton } from "./webhook-action-button";

// The state line of an endpoint, and the notice an administrator must act on.
export function WebhookState({ webhook }: { webhook: WebhookObject }) {
  if (!webhook.enabled && webhook.disabledReason)
    return (
      <Alert tone="warning" role="alert">
        Keyhold disabled this endpoint on {formatDateTime(webhook.disabledAt)}: {webhook.disabledReason.toLowerCase()}.
        Fix the receiver, then enable it again; deliveries queued meanwhile were not sent.
      </Alert>
    );
  if (!webhook.enabled) return <p className="text-sm text-slate-600">Disabled: no events are sent.</p>;
  if (webhook.failingSince)
    return (
      <Alert tone="warning">
        Deliveries have been failing since {formatDateTime(webhook.failingSince)}. After 5 days of failures the endpoint
        is disabled.
      </Alert>
    );
  return <p className="text-sm text-emerald-700">Enabled</p>;
}

// Enable/disable, send test event and (on the list) delete for one endpoint.
export function WebhookActions({
  slug,
  webhook,
  deletable = true,
}: {
  slug: string;
  webhook: WebhookObject;
  deletable?: boolean;
}) {
  return (
    <div className="flex flex-wrap items-start gap-2">
      {webhook.enabled ? (
        <WebhookActionButton
          action={sendTestEventAction}
          input={{ org: slug, id: webhook.id }}
          label="Send test event"
          pendingLabel="Sending…"
          doneMessage="Queued: it shows in the delivery log within seconds."
          accessibleLabel={`Send test event to ${webhook.url}`}
        />
      ) : null}
      <WebhookActionButton
        action={setWebhookEnabledAction}
        input={{ org: slug, id: webhook.id, enabled: !webhook.enabled }}
        label={webhook.enabled ? "Disable" : "Enable"}
        pendingLabel={webhook.enabled ? "Disabling…" : "Enabling…"}
        accessibleLabel={`${webhook.enabled ? "Disable" : "Enable"} ${webhook.url}`}
      />
      {deletable ? (
        <ConfirmRevokeDialog
          action={deleteWebhookAction}
          input={{ org: slug, id: webhook.id }}
          title={`Delete the endpoint ${webhook.url}?`}
          description="No more events are sent to it, and its delivery log is deleted."
          trigger="Delete"
          triggerLabel={`Delete ${webhook.url}`}
          confirmLabel="Yes, delete"
          pendingLabel="Deleting…"
          compact
        />
      ) : null}
    </div>
  );
}

export function WebhookList({ slug, webhooks }: { slug: string; webhooks: WebhookObject[] }) {
  if (webhooks.length === 0)
    return <EmptyTable title="No webhook endpoints yet." hint="Add one below to receive this organization's events." />;
  return (
    <ul className="flex flex-col gap-4">
      {webhooks.map((w) => (
        <li key={w.id} className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-5">
          <div className="flex flex-wrap items-start justify-between gap-2">
            <div className="min-w-0">
              <p className="break-all font-mono text-sm">{w.url}</p>
              {w.description ? <p className="text-sm text-slate-600">{w.description}</p> : null}
            </div>
            <Link href={`/dashboard/${slug}/webhooks/${w.id}`} className={buttonClass("ghost")}>
              Delivery log<span className="sr-only"> of {w.url}</span>
            </Link>
          </div>
          <p className="text-xs text-slate-600">
            Events: <span className="font-mono">{w.events.join(", ")}</span>
          </p>
          <WebhookState webhook={w} />
          <WebhookActions slug={slug} webhook={w} />
        </li>
      ))}
    </ul>
  );
}
