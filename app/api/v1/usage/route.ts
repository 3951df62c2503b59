// GET /api/v1/usage — the account's usage as a time series with totals: range or from/to, interval, keyId, tz (read).
import { json } from "@/lib/api/responses";
import { withApiKey } from "@/lib/api/with-api-key";
import { usageForApi } from "@/lib/usage/report";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async (request, { key }) => json(await usageForApi(key.userId, new URL(request.url).searchParams)), { scope: "read" });
