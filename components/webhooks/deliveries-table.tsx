// An endpoint's delivery log: each delivery's event, state and attempts (status, duration, response excerpt), with
// Redeliver.
import { EmptyTable, TBody, TD, THeadLabels, Table } from "@/components/ui/table";
import { redeliverAction } from "@/lib/actions/webhooks";
import { formatDateTime } from "@/lib/format-date";
import type { DeliveryObject } from "@/lib/webhooks/endpoints";
import { WebhookActionButton } from "./webhook-action-button";

const STATUS_LABELS = { pending: "Pending", succeeded: "Succeeded", failed: "Failed" } as const;

export function DeliveriesTable({
  slug,
  webhookId,
  deliveries,
  enabled,
}: {
  slug: string;
  webhookId: string;
  deliveries: DeliveryObject[];
  enabled: boolean;
}) {
  if (deliveries.length === 0)
    return <EmptyTable title="No deliveries yet." hint="Send a test event to see one here." />;
  return (
    <Table caption="Deliveries, newest first">
      <THeadLabels labels={["Event", "Status", "Attempts", "Actions"]} />
      <TBody>
        {deliveries.map((d) => (
          <tr key={d.id} className="align-top">
            <TD>
              <span className="font-mono text-xs">{d.eventType}</span>
              <br />
              <span className="text-xs text-slate-600">{formatDateTime(d.createdAt)}</span>
            </TD>
            <TD>
              {STATUS_LABELS[d.status]}
              {d.status === "pending" && d.nextAttemptAt ? (
                <span className="block text-xs text-slate-600">next attempt {formatDateTime(d.nextAttemptAt)}</span>
              ) : null}
            </TD>
            <TD>
              {d.attemptLog.length === 0 ? (
                <span className="text-xs text-slate-600">Not attempted yet</span>
              ) : (
                <ol className="flex flex-col gap-1">
                  {d.attemptLog.map((a) => (
                    <li key={a.attempt} className="text-xs">
                      <span className="font-medium">
                        Attempt {a.attempt}: {a.statusCode ?? "no answer"}
                      </span>{" "}
                      in {a.durationMs} ms
                      {a.error ? <span className="text-red-700"> — {a.error}</span> : null}
                      {a.responseExcerpt ? (
                        <pre className="mt-1 max-h-24 max-w-md overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-1 font-mono">
                          {a.responseExcerpt}
                        </pre>
                      ) : null}
                    </li>
                  ))}
                </ol>
              )}
            </TD>
            <TD>
              {enabled ? (
                <WebhookActionButton
                  action={redeliverAction}
                  input={{ org: slug, id: webhookId, deliveryId: d.id }}
                  label="Redeliver"
                  pendingLabel="Queuing…"
                  doneMessage="Queued."
                  accessibleLabel={`Redeliver the ${d.eventType} delivery of ${formatDateTime(d.createdAt)}`}
                />
              ) : null}
            </TD>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
