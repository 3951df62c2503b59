// GET /api/v1/ping — unauthenticated API liveness and the caller's address, with no database work
// (bench:verify's baseline: it reads the request like whoami does, minus the key).
import { json } from "@/lib/api/responses";
import { clientIp } from "@/lib/ip/client-ip";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return json({ status: "ok", time: new Date().toISOString(), ip: clientIp(request.headers) });
}
