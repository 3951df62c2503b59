// Names are one line of plain text: organization names, key names (and so key request names) and webhook descriptions
// refuse line breaks, tabs, other C0/C1 control characters, DEL, NUL and bidi overrides/isolates, in the shared zod
// schemas — so the REST API answers 400 naming the field and server actions answer a field error. Ordinary Unicode
// names (accents, CJK, emoji, joiners, dashes) still pass.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createAccount } from "@/lib/auth/accounts";
import {
  createKeyRequestSchema,
  createOrganizationSchema,
  updateOrganizationSchema,
} from "@/lib/validations/organizations";
import { createKeySchema, keyNameSchema, updateKeySchema } from "@/lib/validations/keys";
import { createWebhookSchema, updateWebhookSchema } from "@/lib/validations/webhooks";
import { isSingleLineText, stripControlCharacters } from "@/lib/validations/text";
import { api, apiRequest, errorOf, makeKey, postKey } from "../helpers/keys";
import { withTestDb } from "../helpers/db";
import { withSession } from "../helpers/next-request";

vi.mock("next/headers", async () => (await import("../helpers/next-request")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const { generateKeyAction, updateKeyAction } = await import("@/lib/actions/keys");
const { createOrganizationAction, updateOrganizationAction } = await import("@/lib/actions/organizations");
const { createKeyRequestAction } = await import("@/lib/actions/key-requests");
const { createWebhookAction } = await import("@/lib/actions/webhooks");

const db = withTestDb();
const password = "a long enough password";

// Each refused character, inside a name (leading and trailing whitespace is trimmed, so these sit in the middle).
const BAD: [string, string][] = [
  ["line feed", "\n"],
  ["carriage return", "\r"],
  ["tab", "\t"],
  ["NUL", "\u0000"],
  ["BEL", "\u0007"],
  ["ESC", "\u001b"],
  ["unit separator", "\u001f"],
  ["DEL", "\u007f"],
  ["NEL (C1)", "\u0085"],
  ["CSI (C1)", "\u009b"],
  ["APC (C1)", "\u009f"],
  ["line separator", "\u2028"],
  ["paragraph separator", "\u2029"],
  ["LRE", "\u202a"],
  ["RLE", "\u202b"],
  ["PDF", "\u202c"],
  ["LRO", "\u202d"],
  ["RLO", "\u202e"],
  ["LRI", "\u2066"],
  ["RLI", "\u2067"],
  ["FSI", "\u2068"],
  ["PDI", "\u2069"],
];
const GOOD = ["Acme AI", "Zürich — prod", "東京 本番", "key 🔑 ok", "family 👨‍👩‍👧", "a.b_c-d (2)", "Ünïcödé", "עברית"];
const bad = (c: string) => `evil${c}name`;

let org = "";
let secret = "";
let keyId = "";

beforeAll(async () => {
  const user = await createAccount({ email: "names@example.com", password, confirmPassword: password }, null);
  // Enterprise: its 6,000 requests a minute leave room for every case below on one key.
  org = (
    await db.current.client.organization.update({
      where: { id: user.lastOrganizationId! },
      data: { plan: "ENTERPRISE" },
    })
  ).slug;
  ({
    secret,
    key: { id: keyId },
  } = await makeKey(user.id, ["admin"]));
  await withSession({ sub: user.id, mfa: "verified" });
});

describe("the shared schemas", () => {
  it.each(BAD)("refuse a %s in organization names, key names, key request names and webhook descriptions", (_l, c) => {
    const text = bad(c);
    const issues = [
      createOrganizationSchema.safeParse({ name: text }),
      updateOrganizationSchema.safeParse({ name: text, slug: "acme" }),
      createKeySchema.safeParse({ name: text, environment: "test", scopes: ["read"] }),
      updateKeySchema.safeParse({ name: text }),
      createKeyRequestSchema.safeParse({ name: text, environment: "test", scopes: ["read"], reason: "CI" }),
      createWebhookSchema.safeParse({ url: "https://example.com/h", events: ["key.created"], description: text }),
      updateWebhookSchema.safeParse({ description: text }),
    ].map((r) => (r.success ? null : r.error.issues.map((i) => [i.path.join("."), i.message])));
    expect(issues).toEqual([
      [["name", expect.stringMatching(/^Name cannot contain line breaks/)]],
      [["name", expect.stringMatching(/^Name cannot contain line breaks/)]],
      [["name", expect.stringMatching(/^Name cannot contain line breaks/)]],
      [["name", expect.stringMatching(/^Name cannot contain line breaks/)]],
      [["name", expect.stringMatching(/^Name cannot contain line breaks/)]],
      [["description", expect.stringMatching(/^Description cannot contain line breaks/)]],
      [["description", expect.stringMatching(/^Description cannot contain line breaks/)]],
    ]);
    expect(isSingleLineText(text)).toBe(false);
    expect(stripControlCharacters(text)).toBe("evilname");
  });

  it("refuse an unpaired surrogate too, and accept ordinary Unicode names", () => {
    expect(keyNameSchema.safeParse("bad\ud800name").success).toBe(false);
    for (const name of GOOD) {
      expect(keyNameSchema.parse(name), name).toBe(name);
      expect(createOrganizationSchema.parse({ name }).name, name).toBe(name);
      expect(isSingleLineText(name), name).toBe(true);
      expect(stripControlCharacters(name), name).toBe(name);
    }
    // Surrounding whitespace (line breaks included) is trimmed, as before: what is stored holds none.
    expect(keyNameSchema.parse("\n  padded \t\r\n")).toBe("padded");
  });
});

describe("REST", () => {
  it.each(BAD)(
    "a %s in a key name or webhook description answers 400 invalid_request naming the field",
    async (_l, c) => {
      const create = await postKey(secret, { name: bad(c), environment: "test", scopes: ["read"] });
      expect(await errorOf(create)).toMatchObject({
        status: 400,
        code: "invalid_request",
        message: expect.stringMatching(/^name: Name cannot contain line breaks/),
      });
      const rename = await api(
        apiRequest(`/api/v1/keys/${keyId}`, { method: "PATCH", key: secret, body: { name: bad(c) } }),
      );
      expect(await errorOf(rename)).toMatchObject({ status: 400, message: expect.stringMatching(/^name: /) });
      const webhook = await api(
        apiRequest("/api/v1/webhooks", {
          method: "POST",
          key: secret,
          body: { url: "https://93.184.215.14/hook", events: ["key.created"], description: bad(c) },
        }),
      );
      expect(await errorOf(webhook)).toMatchObject({ status: 400, message: expect.stringMatching(/^description: /) });
    },
  );

  it("nothing was stored, and an ordinary name is still created", async () => {
    const names = (await db.current.client.apiKey.findMany({ select: { name: true } })).map((k) => k.name);
    expect(names.filter((n) => !isSingleLineText(n))).toEqual([]);
    expect(await db.current.client.webhookEndpoint.count()).toBe(0);
    const res = await postKey(secret, { name: "東京 本番 🔑", environment: "test", scopes: ["read"] });
    expect(res.status).toBe(201);
  });
});

describe("server actions", () => {
  it.each(BAD)("a %s answers invalid_request with a field error on the name or description", async (_l, c) => {
    const text = bad(c);
    const results = {
      name: [
        await createOrganizationAction({ name: text }),
        await updateOrganizationAction({ org, name: text, slug: org }),
        await generateKeyAction({ org, name: text, environment: "test", scopes: ["read"], expiresAt: null }),
        await updateKeyAction({ org, id: keyId, name: text }),
        await createKeyRequestAction({ org, name: text, environment: "test", scopes: ["read"], reason: "CI" }),
      ],
      description: [
        await createWebhookAction({
          org,
          url: "https://93.184.215.14/hook",
          events: ["key.created"],
          description: text,
        }),
      ],
    };
    for (const [field, list] of Object.entries(results))
      for (const result of list)
        expect(result).toMatchObject({
          ok: false,
          code: "invalid_request",
          fieldErrors: { [field]: expect.stringMatching(/cannot contain line breaks/) },
        });
  });

  it("stored nothing: no organization, key or request carries such a name", async () => {
    const c = db.current.client;
    const all = [
      ...(await c.organization.findMany({ select: { name: true } })).map((o) => o.name),
      ...(await c.apiKey.findMany({ select: { name: true } })).map((k) => k.name),
      ...(await c.keyRequest.findMany({ select: { name: true } })).map((r) => r.name),
    ];
    expect(all.filter((n) => !isSingleLineText(n))).toEqual([]);
  });
});
