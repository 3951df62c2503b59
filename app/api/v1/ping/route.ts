// GET /api/v1/ping — unauthenticated API liveness with no database work (the benchmark's baseline).
import { json } from "@/lib/api/responses";

export const dynamic = "force-dynamic";

export function GET() {
  return json({ status: "ok", time: new Date().toISOString() });
}
