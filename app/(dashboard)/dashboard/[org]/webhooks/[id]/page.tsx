// /dashboard/[org]/webhooks/[id] — one endpoint's state, actions and delivery log (admins and owners; others get 404).
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/shell/page-header";
import { CursorPager } from "@/components/ui/cursor-pager";
import { DeliveriesTable } from "@/components/webhooks/deliveries-table";
import { EditWebhookForm } from "@/components/webhooks/edit-webhook-form";
import { WebhookActions, WebhookState } from "@/components/webhooks/webhook-list";
import { ApiError } from "@/lib/errors";
import { requireMember, type OrgPageProps } from "@/lib/orgs/page-guard";
import { getWebhook, listDeliveries } from "@/lib/webhooks/endpoints";

export const metadata = { title: "Webhook deliveries" };

export default async function WebhookPage({
  params,
  searchParams,
}: OrgPageProps<{ cursor?: string | string[] }, { id: string }>) {
  const { org: slug, id } = await params;
  const { cursor: rawCursor } = await searchParams;
  const cursor = typeof rawCursor === "string" && rawCursor.length <= 64 ? rawCursor : undefined;
  const { member } = await requireMember(slug, `/dashboard/${slug}/webhooks/${id}`, "webhooks.manage");
  const organizationId = member.organization.id;
  const found = await Promise.all([
    getWebhook(organizationId, id),
    listDeliveries(organizationId, id, { cursor, limit: 50 }),
  ]).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  });
  const [webhook, deliveries] = found;
  return (
    <>
      <PageHeader
        title="Webhook deliveries"
        description={webhook.url}
        actions={
          <Link href={`/dashboard/${slug}/webhooks`} className="text-sm font-medium text-brand-700 underline">
            All endpoints
          </Link>
        }
      />
      <div className="flex flex-col gap-4">
        <WebhookState webhook={webhook} />
        <WebhookActions slug={slug} webhook={webhook} deletable={false} />
        <details className="rounded-lg border border-slate-200 bg-white p-5">
          <summary className="cursor-pointer text-sm font-semibold">Edit URL, description and events</summary>
          <div className="mt-3">
            <EditWebhookForm webhook={webhook} />
          </div>
        </details>
        <DeliveriesTable slug={slug} webhookId={webhook.id} deliveries={deliveries.data} enabled={webhook.enabled} />
        <CursorPager
          basePath={`/dashboard/${slug}/webhooks/${webhook.id}`}
          cursor={cursor}
          nextCursor={deliveries.nextCursor}
          label="Deliveries"
        />
      </div>
    </>
  );
}
