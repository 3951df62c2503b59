// GET /dashboard/usage/export — the signed-in account's usage as CSV, for the same parameters (and numbers) as the usage page.
import { NextResponse } from "next/server";
import { getCurrentUser } from "@/lib/auth/session";
import { usageCsv } from "@/lib/usage/csv";
import { parseUsageQuery } from "@/lib/usage/report";
import { viewerTimeZone } from "@/lib/usage/viewer-time-zone";
import { usageParams } from "@/lib/validations/usage";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const current = await getCurrentUser();
  if (!current) return NextResponse.json({ error: { code: "unauthorized", message: "Sign in first" } }, { status: 401 });
  const params = usageParams(new URL(request.url).searchParams);
  const parsed = await parseUsageQuery(current.user.id, { ...params, tz: await viewerTimeZone(params.tz) });
  if (!parsed.ok) return NextResponse.json({ error: { code: parsed.code, message: parsed.message } }, { status: parsed.code === "not_found" ? 404 : 400 });
  const csv = await usageCsv(current.user.id, parsed.query);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="keyhold-usage-${day(parsed.query.from)}-to-${day(parsed.query.to)}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
