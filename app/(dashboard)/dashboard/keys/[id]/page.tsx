// /dashboard/keys/[id] — one key: details, edit name/scopes/expiry, IP allowlist, rate limit, rotate, revoke, and its usage over the last 7 days.
import Link from "next/link";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { EditKeyForm } from "@/components/keys/edit-key-form";
import { KeyGovernanceSections } from "@/components/keys/key-governance-sections";
import { KeyStatusBadge } from "@/components/keys/key-status-badge";
import { RevokeKeyDialog } from "@/components/keys/revoke-key-dialog";
import { RotateKeyDialog } from "@/components/keys/rotate-key-dialog";
import { PageHeader } from "@/components/shell/page-header";
import { ChartSkeleton } from "@/components/usage/chart-skeleton";
import { UsageChart } from "@/components/usage/usage-chart";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format-date";
import { ApiError } from "@/lib/api/errors";
import { getKey } from "@/lib/keys/service";
import { keyStatus } from "@/lib/keys/status";
import { PLAN_LIMITS } from "@/lib/ratelimit/limiter";
import { keyIdSchema } from "@/lib/validations/keys";

export const metadata = { title: "Key" };

export default async function KeyPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = keyIdSchema.safeParse((await params).id);
  // An id no key can have (NUL, an unpaired surrogate, too long) is as unknown as any other.
  if (!parsed.success) notFound();
  const id = parsed.data;
  const { user } = await requireUser(`/dashboard/keys/${id}`);
  const key = await getKey(user.id, id).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  });
  const status = keyStatus(key);
  const details: [string, React.ReactNode][] = [
    ["Status", <KeyStatusBadge key="s" status={status} />],
    [
      "Prefix",
      <code key="p" className="font-mono text-xs">
        {key.prefix}…
      </code>,
    ],
    ["Environment", key.environment],
    ["Scopes", key.scopes.join(", ")],
    ["Created", formatDateTime(key.createdAt)],
    ["Expires", formatDateTime(key.expiresAt, "Never")],
    ["Last used", formatDateTime(key.lastUsedAt, "Never")],
    ...(key.revokedAt ? ([["Revoked", formatDateTime(key.revokedAt)]] as [string, React.ReactNode][]) : []),
  ];
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/dashboard/keys" className="text-brand-700 hover:underline">
          ← All keys
        </Link>
      </p>
      <PageHeader
        title={key.name}
        actions={
          key.revokedAt ? null : (
            <>
              <RotateKeyDialog keyId={key.id} name={key.name} />
              <RevokeKeyDialog keyId={key.id} name={key.name} />
            </>
          )
        }
      />
      <section aria-labelledby="details-heading" className="mb-6 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="details-heading" className="mb-3 font-semibold">
          Details
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
          {details.map(([term, value]) => (
            <div key={term} className="contents">
              <dt className="text-slate-600">{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>
      {key.revokedAt ? null : (
        <section aria-labelledby="edit-heading" className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="edit-heading" className="mb-3 font-semibold">
            Edit
          </h2>
          <EditKeyForm keyObject={key} mfaEnabled={!!user.mfaEnabledAt} />
        </section>
      )}
      {key.revokedAt ? null : (
        <KeyGovernanceSections keyObject={key} mfaEnabled={!!user.mfaEnabledAt} planLimit={PLAN_LIMITS[user.plan]} />
      )}
      <section aria-label="Usage of this key" className="mt-6">
        <Suspense fallback={<ChartSkeleton label="Loading this key's usage…" />}>
          <UsageChart
            scope={{ userId: user.id }}
            keyId={key.id}
            range="7d"
            title="Requests with this key, last 7 days"
          />
        </Suspense>
      </section>
    </>
  );
}
