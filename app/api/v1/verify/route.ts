// POST /api/v1/verify — the platform's gateway asks whether a key is good (service token; 404 while it is unset).
import { serviceTokenStatus, verifyForGateway } from "@/lib/api/gateway-verify";
import { parseJsonBody } from "@/lib/api/request";
import { errorJson, errorResponse, json } from "@/lib/api/responses";
import { verifyRequestSchema } from "@/lib/validations/keys";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  try {
    const token = serviceTokenStatus(request.headers);
    if (token === "disabled") return errorJson("not_found", "Not found");
    if (token !== "ok") return errorJson(token === "missing" ? "missing_key" : "invalid_key", "Send the service token as Authorization: Bearer <token>.");
    return json(await verifyForGateway(await parseJsonBody(request, verifyRequestSchema)));
  } catch (err) {
    return errorResponse(err);
  }
}
