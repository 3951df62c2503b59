// Input that PostgreSQL cannot take (NUL, unpaired surrogates, zones it does not know) and a database that cannot be
// reached answer 4xx naming the input, or a JSON 503 — never a 500. Handlers, actions and database are real; only Next's
// request context (cookies, headers, revalidation) is supplied by the test.
process.env.KEYHOLD_SERVICE_TOKEN = "service-token-for-tests-0123456789";

import { beforeAll, describe, expect, it, vi } from "vitest";
import { GET as exportRoute } from "@/app/(dashboard)/dashboard/[org]/usage/export/route";
import { createAccount } from "@/lib/auth/accounts";
import { setDb } from "@/lib/db";
import { env } from "@/lib/env";
import { api, apiRequest, errorOf, makeKey } from "../helpers/keys";
import { withTestDb, unreachableClient } from "../helpers/db";
import { withSession } from "../helpers/next-request";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { generateKeyAction, updateKeyAction, revokeKeyAction } = await import("@/lib/actions/keys");
const { changePlanAction, revokeKeyAsAdminAction } = await import("@/lib/actions/admin");
const { signUpAction } = await import("@/lib/actions/auth");
const { disableMfaAction } = await import("@/lib/actions/security");

const db = withTestDb();
const password = "a long enough password";
let userId = "";
let org = "";
let secret = "";
let keyId = "";

beforeAll(async () => {
  const user = await createAccount({ email: "bad-input@example.com", password, confirmPassword: password }, null);
  userId = user.id;
  await db.current.client.user.update({ where: { id: userId }, data: { role: "ADMIN" } });
  org = (await db.current.client.organization.findUniqueOrThrow({ where: { id: user.lastOrganizationId! } })).slug;
  ({
    secret,
    key: { id: keyId },
  } = await makeKey(userId, ["admin"]));
  await withSession({ sub: userId, mfa: "verified" });
});

const BAD_TEXT = [
  ["NUL", "bad\u0000name"],
  ["a lone high surrogate", "bad\ud800name"],
  ["a lone low surrogate", "bad\udc00name"],
] as const;

describe.each(BAD_TEXT)("text with %s", (_label, text) => {
  it("REST: key names and allowlist notes answer 400 naming the field", async () => {
    const create = (body: unknown) => api(apiRequest("/api/v1/keys", { method: "POST", key: secret, body }));
    expect(await errorOf(await create({ name: text, environment: "test", scopes: ["read"] }))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^name: /),
    });
    expect(
      await errorOf(
        await create({
          name: "ok",
          environment: "test",
          scopes: ["read"],
          ipAllowlist: [{ value: "10.0.0.1", note: text }],
        }),
      ),
    ).toMatchObject({ status: 400, message: expect.stringMatching(/^ipAllowlist\.0\.note: /) });
    const patch = await api(
      apiRequest(`/api/v1/keys/${keyId}`, { method: "PATCH", key: secret, body: { name: text } }),
    );
    expect(await errorOf(patch)).toMatchObject({ status: 400, message: expect.stringMatching(/^name: /) });
  });

  it("actions: key names, ids, admin ids and passwords answer invalid_request naming the field", async () => {
    const results = {
      name: await generateKeyAction({ org, name: text, environment: "test", scopes: ["read"], expiresAt: null }),
      id: await updateKeyAction({ org, id: text, name: "renamed" }),
      revokeId: await revokeKeyAction({ org, id: text }),
      organizationId: await changePlanAction({ organizationId: text, plan: "PRO" }),
      keyId: await revokeKeyAsAdminAction({ keyId: text }),
      password: await signUpAction({
        email: `new-${text.length}-${_label.length}@example.com`,
        password: `${text} long enough`,
        confirmPassword: `${text} long enough`,
      }),
      disable: await disableMfaAction({ password: text, method: "totp", code: "123456" }),
    };
    const fields = {
      name: "name",
      id: "id",
      revokeId: "id",
      organizationId: "organizationId",
      keyId: "keyId",
      password: "password",
      disable: "password",
    } as const;
    for (const [name, result] of Object.entries(results)) {
      expect(result, name).toMatchObject({
        ok: false,
        code: "invalid_request",
        fieldErrors: { [fields[name as keyof typeof fields]]: expect.any(String) },
      });
    }
  });
});

describe("malformed key ids in the path", () => {
  // As sent on the wire: NUL, a byte that is no UTF-8 (%ff), an encoded "%ff", U+FFFD, an encoded lone surrogate, too long.
  it.each(["%00", "abc%00", "%ff", "%25ff", "%EF%BF%BD", "%ED%A0%80", "x".repeat(65)])(
    "%s answers 404 not_found on GET, PATCH, rotate and revoke",
    async (id) => {
      const path = `/api/v1/keys/${id}`;
      const responses = [
        await api(apiRequest(path, { key: secret })),
        await api(apiRequest(path, { method: "PATCH", key: secret, body: { name: "renamed" } })),
        await api(apiRequest(`${path}/rotate`, { method: "POST", key: secret })),
        await api(apiRequest(`${path}/revoke`, { method: "POST", key: secret })),
      ];
      for (const res of responses) expect(await errorOf(res)).toMatchObject({ status: 404, code: "not_found" });
    },
  );

  it("/dashboard/[org]/keys/[id] answers notFound() for them", async () => {
    const { default: KeyPage } = await import("@/app/(dashboard)/dashboard/[org]/keys/[id]/page");
    for (const id of ["\u0000", "%ff", "\ud800"]) {
      const thrown = await KeyPage({ params: Promise.resolve({ org, id }) }).then(
        () => null,
        (err: unknown) => err as { digest?: string },
      );
      expect(thrown?.digest, JSON.stringify(id)).toBe("NEXT_HTTP_ERROR_FALLBACK;404");
    }
  });
});

describe("time zones Intl knows and the database does not", () => {
  it.each(["US/Pacific-New", "Canada/East-Saskatchewan"])(
    "%s answers 400 naming tz on GET /api/v1/usage and the CSV export",
    async (tz) => {
      const query = `range=30d&interval=day&tz=${encodeURIComponent(tz)}`;
      const rest = await api(apiRequest(`/api/v1/usage?${query}`, { key: secret }));
      expect(await errorOf(rest)).toMatchObject({
        status: 400,
        code: "invalid_request",
        message: expect.stringMatching(/^tz: /),
      });
      const csv = await exportRoute(new Request(`http://localhost/dashboard/${org}/usage/export?${query}`), {
        params: Promise.resolve({ org }),
      });
      expect(await errorOf(csv)).toMatchObject({
        status: 400,
        code: "invalid_request",
        message: expect.stringMatching(/^tz: /),
      });
    },
  );

  it("a zone both know still works, by day", async () => {
    const res = await api(apiRequest("/api/v1/usage?range=7d&interval=day&tz=Asia/Kolkata", { key: secret }));
    expect(res.status).toBe(200);
  });
});

describe("the database unreachable", () => {
  it("whoami and verify answer a JSON 503 service_unavailable", async () => {
    // A key never verified before, so its record is not in the in-process cache and verification must ask the database.
    const fresh = await makeKey(userId, ["read"]);
    // Port 1 on loopback refuses connections.
    setDb(unreachableClient());
    try {
      expect(await errorOf(await api(apiRequest("/api/v1/whoami", { key: fresh.secret })))).toMatchObject({
        status: 503,
        code: "service_unavailable",
      });
      const verify = await api(
        apiRequest("/api/v1/verify", { method: "POST", key: env().KEYHOLD_SERVICE_TOKEN, body: { key: fresh.secret } }),
      );
      expect(await errorOf(verify)).toMatchObject({ status: 503, code: "service_unavailable" });
    } finally {
      setDb(db.current.client);
    }
  });
});
