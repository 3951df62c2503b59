// GET /api/metrics — Prometheus text exposition, behind `Authorization: Bearer $METRICS_TOKEN` (404 while the token is unset).
import { NextResponse } from "next/server";
import { metricsAccess, renderMetrics } from "@/lib/usage/metrics";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const access = metricsAccess(request.headers.get("authorization"));
  if (access === "disabled") return NextResponse.json({ error: { code: "not_found", message: "Not found" } }, { status: 404 });
  if (access === "denied") {
    return NextResponse.json({ error: { code: "unauthorized", message: "A valid metrics token is required" } }, { status: 401, headers: { "WWW-Authenticate": "Bearer" } });
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
