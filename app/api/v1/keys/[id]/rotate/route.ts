// POST /api/v1/keys/{id}/rotate — issue a new secret, keep the old one for gracePeriodSeconds (admin).
import { parseJsonBody, parsePathParam } from "@/lib/api/request";
import { json } from "@/lib/api/responses";
import { withApiKey } from "@/lib/api/with-api-key";
import { rotateKey } from "@/lib/keys/service";
import { keyIdSchema, rotateKeySchema } from "@/lib/validations/keys";

export const dynamic = "force-dynamic";

export const POST = withApiKey<{ id: string }>(
  async (request, { key, ip, params }) => {
    const { gracePeriodSeconds } = await parseJsonBody(request, rotateKeySchema, {});
    return json(await rotateKey(key.userId, parsePathParam(keyIdSchema, params.id), gracePeriodSeconds, { ip }));
  },
  { scope: "admin" },
);
