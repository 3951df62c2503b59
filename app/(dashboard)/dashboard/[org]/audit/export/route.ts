// GET /dashboard/[org]/audit/export — the organization's audit log as NDJSON (one event per line, the REST shape),
// streamed a page at a time; admins and owners (audit.read) under the MFA policy; the REST API's filters.
import { errorResponse } from "@/lib/api/responses";
import { auditNdjson } from "@/lib/audit-export";
import { downloadResponse } from "@/lib/download";
import { requireRouteMember } from "@/lib/orgs/page-guard";

export const dynamic = "force-dynamic";

export async function GET(request: Request, route: { params: Promise<{ org: string }> }) {
  try {
    const member = await requireRouteMember((await route.params).org, "audit.read");
    const body = await auditNdjson(member.organization.id, new URL(request.url).searchParams);
    const day = new Date().toISOString().slice(0, 10);
    const filename = `keyhold-audit-${member.organization.slug}-${day}.ndjson`;
    return downloadResponse(body, "application/x-ndjson; charset=utf-8", filename);
  } catch (err) {
    return errorResponse(err);
  }
}
