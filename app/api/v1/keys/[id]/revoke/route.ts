// POST /api/v1/keys/{id}/revoke — revoke now; revoking again answers the same (admin).
import { parsePathParam } from "@/lib/api/request";
import { json } from "@/lib/api/responses";
import { withApiKey } from "@/lib/api/with-api-key";
import { revokeKey } from "@/lib/keys/service";
import { keyIdSchema } from "@/lib/validations/keys";

export const dynamic = "force-dynamic";

export const POST = withApiKey<{ id: string }>(
  async (_request, { key, ip, params }) => json(await revokeKey(key.userId, parsePathParam(keyIdSchema, params.id), { ip })),
  { scope: "admin" },
);
