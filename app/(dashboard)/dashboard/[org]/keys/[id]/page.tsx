// /dashboard/[org]/keys/[id] — one key of the organization (controls for those who may change it): details, edit
// name/scopes/permissions/expiry, IP allowlist, rate limit, credits, rotate, revoke, and its usage over the last 7 days;
// a banner when the key was found in a public place.
import { Card } from "@/components/ui/card";
import { BackLink } from "@/components/ui/back-link";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { CreditsSection } from "@/components/keys/credits-section";
import { EditKeyForm } from "@/components/keys/edit-key-form";
import { KeyGovernanceSections } from "@/components/keys/key-governance-sections";
import { KeyStatusBadge } from "@/components/keys/key-status-badge";
import { LeakBanner } from "@/components/leaks/leak-banner";
import { RevokeKeyDialog } from "@/components/keys/revoke-key-dialog";
import { RotateKeyDialog } from "@/components/keys/rotate-key-dialog";
import { PageHeader } from "@/components/shell/page-header";
import { ChartSkeleton } from "@/components/usage/chart-skeleton";
import { UsageChart } from "@/components/usage/usage-chart";
import { requireMember } from "@/lib/orgs/page-guard";
import { listPermissions } from "@/lib/permissions/catalogue";
import { keyObjectViolations, policiesOf } from "@/lib/orgs/policies";
import { can } from "@/lib/orgs/roles";
import { Alert } from "@/components/ui/alert";
import { formatDateTime } from "@/lib/format-date";
import { ApiError } from "@/lib/errors";
import { creditsBaseline } from "@/lib/keys/credits";
import { getKeyOrigin } from "@/lib/keys/origin";
import { getKey } from "@/lib/keys/service";
import { keyStatus } from "@/lib/keys/status";
import { getKeyLeakNotice } from "@/lib/leaks/notices";
import { PLAN_LIMITS } from "@/lib/ratelimit/limiter";
import { keyIdSchema } from "@/lib/validations/keys";

export const metadata = { title: "Key" };

export default async function KeyPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org: slug, id: rawId } = await params;
  const parsed = keyIdSchema.safeParse(rawId);
  // An id no key can have (NUL, an unpaired surrogate, too long) is as unknown as any other.
  if (!parsed.success) notFound();
  const id = parsed.data;
  const {
    current: { user },
    member,
  } = await requireMember(slug, `/dashboard/${slug}/keys/${id}`);
  const org = member.organization;
  const key = await getKey(org.id, id).catch((err: unknown) => {
    if (err instanceof ApiError && err.code === "not_found") notFound();
    throw err;
  });
  const status = keyStatus(key);
  const manage = can(member, "keys.manage", { createdById: key.createdBy }) && !org.suspendedAt;
  const violations = keyObjectViolations(policiesOf(org), key);
  const [leak, origin] = await Promise.all([getKeyLeakNotice(org.id, key.id), getKeyOrigin(key)]);
  const permissionCatalogue = manage && !key.revokedAt ? await listPermissions() : [];
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
    [
      "Permissions",
      key.permissions.length ? (
        <span key="perm" className="font-mono text-xs">
          {key.permissions.join(", ")}
        </span>
      ) : (
        "None"
      ),
    ],
    ["Created", formatDateTime(key.createdAt)],
    ["Created by", origin.creatorEmail ?? "A former member"],
    ...(origin.fromRequest
      ? ([
          [
            "Origin",
            `From an approved key request${origin.approverEmail ? ` (approved by ${origin.approverEmail})` : ""}`,
          ],
        ] as [string, React.ReactNode][])
      : []),
    ["Expires", formatDateTime(key.expiresAt, "Never")],
    ["Last used", formatDateTime(key.lastUsedAt, "Never")],
    ...(key.revokedAt ? ([["Revoked", formatDateTime(key.revokedAt)]] as [string, React.ReactNode][]) : []),
  ];
  return (
    <>
      <BackLink href={`/dashboard/${slug}/keys`}>All keys</BackLink>
      <PageHeader
        title={key.name}
        actions={
          key.revokedAt || !manage ? null : (
            <>
              <RotateKeyDialog keyId={key.id} name={key.name} />
              <RevokeKeyDialog keyId={key.id} name={key.name} />
            </>
          )
        }
      />
      {leak ? <LeakBanner notice={leak} /> : null}
      {violations.length ? (
        <Alert tone="warning">
          This key no longer meets the organization&apos;s policies: {violations.map((v) => v.message).join("; ")}. It
          keeps working until it is changed or revoked.
        </Alert>
      ) : null}
      <Card id="details" title="Details" className="mb-6">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
          {details.map(([term, value]) => (
            <div key={term} className="contents">
              <dt className="text-slate-600">{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </Card>
      {key.revokedAt || !manage ? null : (
        <Card id="edit" title="Edit">
          <EditKeyForm
            keyObject={key}
            mfaEnabled={!!user.mfaEnabledAt}
            maxLifetimeDays={org.maxKeyLifetimeDays}
            permissionCatalogue={permissionCatalogue}
          />
        </Card>
      )}
      {key.revokedAt || !manage ? null : (
        <KeyGovernanceSections keyObject={key} mfaEnabled={!!user.mfaEnabledAt} planLimit={PLAN_LIMITS[org.plan]} />
      )}
      <CreditsSection
        keyObject={key}
        baseline={key.credits && !key.credits.refill ? await creditsBaseline(key.id) : 0}
        canAdd={can(member, "keys.limits") && !org.suspendedAt}
      />
      <section aria-label="Usage of this key" className="mt-6">
        <Suspense fallback={<ChartSkeleton label="Loading this key's usage…" />}>
          <UsageChart
            scope={{ organizationId: org.id }}
            keyId={key.id}
            range="7d"
            title="Requests with this key, last 7 days"
          />
        </Suspense>
      </section>
    </>
  );
}
