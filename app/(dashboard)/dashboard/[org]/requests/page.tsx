// /dashboard/[org]/requests — the member's own key requests (reveal an approved one here, once) and, for admins, the
// queue of pending requests to approve or deny.
import Link from "next/link";
import { MyRequests } from "@/components/requests/my-requests";
import { RequestQueue } from "@/components/requests/request-queue";
import { toRequestItem } from "@/components/requests/request-item";
import { PageHeader } from "@/components/shell/page-header";
import { buttonClass } from "@/components/ui/button";
import { listKeyRequests } from "@/lib/orgs/key-requests";
import { requireMember } from "@/lib/orgs/page-guard";
import { approvalApplies, policiesOf } from "@/lib/orgs/policies";
import { can } from "@/lib/orgs/roles";

export const metadata = { title: "Key requests" };

export default async function KeyRequestsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org: slug } = await params;
  const { member } = await requireMember(slug, `/dashboard/${slug}/requests`);
  const { mine, queue } = await listKeyRequests(member);
  const org = member.organization;
  // Only members some of whose keys need approval are offered a request (admins and owners never need one).
  const requester =
    can(member, "keys.request") && !org.suspendedAt && approvalApplies(policiesOf(org), member.role).some;
  const reviewer = queue !== null;
  return (
    <>
      <PageHeader
        title="Key requests"
        description={
          requester
            ? "Keys that need an administrator's approval. An approved key is revealed once, by its requester; requests lapse after 7 days."
            : reviewer
              ? "Developers' keys that need your approval under this organization's policies. An approved key is revealed once, by its requester; requests lapse after 7 days."
              : can(member, "keys.create")
                ? "No key of yours needs approval under this organization's policies: create keys on the Keys page."
                : "Developers ask here for keys that need an administrator's approval. Viewers see keys but do not create or request them."
        }
        actions={
          requester ? (
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
      {requester || mine.length > 0 ? (
        <section>
          <h2 className="mb-3 text-lg font-semibold">Your requests</h2>
          <MyRequests
            requests={mine.map(toRequestItem)}
            emptyHint={requester ? "Request a key when a policy needs an administrator's approval." : undefined}
          />
        </section>
      ) : null}
    </>
  );
}
