// GET /dashboard/[org]/usage/export — the organization's usage as CSV (members holding usage.export, under the MFA
// policy), for the same parameters (and numbers) as the usage page.
import { ApiError } from "@/lib/errors";
import { errorResponse } from "@/lib/api/responses";
import { downloadResponse } from "@/lib/download";
import { requireRouteMember } from "@/lib/orgs/page-guard";
import { usageCsv } from "@/lib/usage/csv";
import { parseUsageQuery } from "@/lib/usage/report";
import { viewerTimeZone } from "@/lib/usage/viewer-time-zone";
import { usageParams } from "@/lib/validations/usage";

export const dynamic = "force-dynamic";

export async function GET(request: Request, route: { params: Promise<{ org: string }> }) {
  try {
    const member = await requireRouteMember((await route.params).org, "usage.export");
    const organizationId = member.organization.id;
    const params = usageParams(new URL(request.url).searchParams);
    // An explicit tz is validated like every other parameter; only a missing one falls back to the viewer's zone.
    const parsed = await parseUsageQuery(organizationId, { ...params, tz: params.tz || (await viewerTimeZone()) });
    if (!parsed.ok) throw new ApiError(parsed.code, parsed.message);
    const csv = await usageCsv(organizationId, parsed.query);
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const filename = `keyhold-usage-${day(parsed.query.from)}-to-${day(parsed.query.to)}.csv`;
    return downloadResponse(csv, "text/csv; charset=utf-8", filename);
  } catch (err) {
    return errorResponse(err);
  }
}
