// GET /api/v1/keys/{id} — one key of the account (read).
// PATCH /api/v1/keys/{id} — rename, change scopes or expiry (admin).
import { parseJsonBody, parsePathParam } from "@/lib/api/request";
import { json } from "@/lib/api/responses";
import { withApiKey } from "@/lib/api/with-api-key";
import { getKey, updateKey } from "@/lib/keys/service";
import { keyIdSchema, updateKeySchema } from "@/lib/validations/keys";

export const dynamic = "force-dynamic";

export const GET = withApiKey<{ id: string }>(
  async (_request, { key, params }) => json(await getKey(key.userId, parsePathParam(keyIdSchema, params.id))),
  { scope: "read" },
);

export const PATCH = withApiKey<{ id: string }>(
  async (request, { key, ip, params }) => json(await updateKey(key.userId, parsePathParam(keyIdSchema, params.id), await parseJsonBody(request, updateKeySchema), { ip })),
  { scope: "admin" },
);
