// /dashboard/[org]/requests — the member's own key requests (reveal an approved one here, once) and, for admins, the
// queue of pending requests to approve or deny.
import Link from "next/link";
import { MyRequests } from "@/components/requests/my-requests";
import { RequestQueue } from "@/components/requests/request-queue";
import { toRequestItem } from "@/components/requests/request-item";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClass } from "@/components/ui/button";
import { listKeyRequests } from "@/lib/orgs/key-requests";
import { requireMember } from "@/lib/orgs/page";
import { can } from "@/lib/orgs/roles";

export const metadata = { title: "Key requests" };

export default async function KeyRequestsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { member } = await requireMember(slug, `/dashboard/${slug}/requests`);
  const { mine, queue } = await listKeyRequests(member);
  const mayRequest = can(member, "keys.request") && !member.organization.suspendedAt;
  return (
    <>
      <PageHeader
        title="Key requests"
        description="Keys that need an administrator's approval. An approved key is revealed once, by its requester; requests lapse after 7 days."
        actions={
          mayRequest ? (
            <Link href={`/dashboard/${slug}/requests/new`} className={buttonClass()}>
              Request a key
            </Link>
          ) : null
        }
      />
      {queue ? (
        <section className="mb-8">
          <h2 className="mb-3 text-lg font-semibold">Waiting for a decision</h2>
          <RequestQueue requests={queue.map(toRequestItem)} />
        </section>
      ) : null}
      <section>
        <h2 className="mb-3 text-lg font-semibold">Your requests</h2>
        <MyRequests requests={mine.map(toRequestItem)} />
      </section>
    </>
  );
}
