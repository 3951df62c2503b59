// GET /api/v1/whoami — the calling key and its account's client ID (any scope).
import { json } from "@/lib/api/responses";
import { withApiKey } from "@/lib/api/with-api-key";
import { toKeyObject } from "@/lib/keys/record";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async (_request, { key }) => json({ key: toKeyObject(key), clientId: key.user.clientId }));
