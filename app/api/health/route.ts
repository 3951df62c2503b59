// GET /api/health — liveness and database reachability.
import { NextResponse } from "next/server";
import { databaseReachable } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const ok = await databaseReachable();
  return NextResponse.json(
    { status: ok ? "ok" : "degraded", database: ok ? "ok" : "unreachable" },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
