// /dashboard/[org]/webhooks — the organization's webhook endpoints (admins and owners; others get 404): list with their
// state and actions, and the form to add one (its signing secret shown once).
import { PageHeader } from "@/components/shell/page-header";
import { CreateWebhookForm } from "@/components/webhooks/create-webhook-form";
import { WebhookList } from "@/components/webhooks/webhook-list";
import { requireMember } from "@/lib/orgs/page-guard";
import { listWebhooks } from "@/lib/webhooks/endpoints";

export const metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { member } = await requireMember(slug, `/dashboard/${slug}/webhooks`, "webhooks.manage");
  const webhooks = await listWebhooks(member.organization.id);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Keyhold POSTs this organization's events to these URLs, signed with Standard Webhooks headers, and retries failures for up to about 31 hours."
      />
      <div className="flex flex-col gap-6">
        <WebhookList slug={slug} webhooks={webhooks} />
        {member.organization.suspendedAt ? null : (
          <section
            aria-labelledby="add-webhook-heading"
            className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5"
          >
            <h2 id="add-webhook-heading" className="text-lg font-semibold">
              Add an endpoint
            </h2>
            <CreateWebhookForm />
          </section>
        )}
      </div>
    </>
  );
}
