// GET /api/v1/keys — the account's keys, newest first, cursor-paginated (read).
// POST /api/v1/keys — create a key; 201 with the key and its secret, shown this once (admin).
import { parseJsonBody, parseQuery } from "@/lib/api/request";
import { json } from "@/lib/api/responses";
import { withApiKey } from "@/lib/api/with-api-key";
import { listKeys } from "@/lib/keys/list";
import { createKey } from "@/lib/keys/service";
import { createKeySchema, listKeysQuerySchema } from "@/lib/validations/keys";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async (request, { key }) => json(await listKeys(key.userId, parseQuery(request, listKeysQuerySchema))), { scope: "read" });

export const POST = withApiKey(
  async (request, { key, ip }) => json(await createKey(key.userId, await parseJsonBody(request, createKeySchema), { ip }), 201),
  { scope: "admin" },
);
