// withApiKey for Next.js route handlers (platforms that embed Keyhold): the same core as the API's requireKey, so the
// same errors, rate-limit headers on every counted answer (a handler's thrown error included) and one usage event.
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { json } from "@/lib/api/responses";
import { withApiKey } from "@/lib/api/with-api-key";
import { db } from "@/lib/db";
import { flushUsage } from "@/lib/usage/recorder";
import { withTestDb } from "../helpers/db";
import { apiRequest, createUser, makeKey } from "../helpers/keys";

withTestDb();

const route = { params: Promise.resolve({ id: "abc" }) };

describe("withApiKey", () => {
  it("runs the handler for a key with the scope, with the key, the params and the rate-limit headers", async () => {
    const user = await createUser();
    const { key, secret } = await makeKey(user.id, ["read"]);
    const handler = withApiKey<{ id: string }>(
      async (_request, ctx) => json({ keyId: ctx.key.id, id: ctx.params.id }),
      { scope: "read" },
    );
    const res = await handler(apiRequest("/embedded/abc", { key: secret }), route);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ keyId: key.id, id: "abc" });
    expect(res.headers.get("x-ratelimit-limit")).toBe("60");
    expect(res.headers.get("x-ratelimit-remaining")).toBe("59");
  });

  it("answers the error table's codes: 401 missing_key with a challenge, 403 insufficient_scope", async () => {
    const user = await createUser();
    const { secret } = await makeKey(user.id, ["read"]);
    const handler = withApiKey(async () => json({ ok: true }), { scope: "admin" });
    const missing = await handler(apiRequest("/embedded"), { params: Promise.resolve({}) });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await missing.json()).error.code).toBe("missing_key");
    const denied = await handler(apiRequest("/embedded", { key: secret }), { params: Promise.resolve({}) });
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.code).toBe("insufficient_scope");
  });

  it("maps a thrown ApiError with the rate-limit headers, and records the request once under its path", async () => {
    const user = await createUser();
    const { key, secret } = await makeKey(user.id, ["read"]);
    const handler = withApiKey(async () => {
      throw new ApiError("not_found", "no such thing", "thing");
    });
    const res = await handler(apiRequest("/embedded/thing?x=1", { key: secret }), { params: Promise.resolve({}) });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "thing: no such thing" } });
    expect(res.headers.get("x-ratelimit-remaining")).toBe("59");
    await flushUsage();
    const events = await db.usageEvent.findMany({ where: { keyId: key.id } });
    expect(events.map((e) => [e.route, e.method, e.status, e.outcome])).toEqual([
      ["/embedded/thing", "GET", 404, "valid"],
    ]);
  });
});
