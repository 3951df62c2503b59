// Tells administrators, on every organization page, that Keyhold disabled webhook endpoints after 5 days of failures.
import Link from "next/link";

export function DisabledWebhooksNotice({ slug, count }: { slug: string; count: number }) {
  if (count === 0) return null;
  return (
    <p role="alert" className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      {count === 1 ? "A webhook endpoint was" : `${count} webhook endpoints were`} disabled after 5 days of failed
      deliveries: events are no longer sent there.{" "}
      <Link href={`/dashboard/${slug}/webhooks`} className="font-medium underline">
        Review webhooks
      </Link>
    </p>
  );
}
