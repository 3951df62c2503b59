// REST /api/v1/webhooks: admin scope, the secret shown once and encrypted at rest, URL checks naming `url` (https
// only; private, loopback, link-local and metadata addresses refused, also after DNS), another organization's 404.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { setWebhookResolver } from "@/lib/webhooks/endpoints";
import { withTestDb } from "../helpers/db";
import { api, apiRequest, createUser, makeKey, newUserKeys } from "../helpers/keys";

withTestDb();

const PUBLIC = async () => [{ address: "93.184.215.14", family: 4 }];
afterEach(() => setWebhookResolver(undefined));

async function post(secret: string, body: unknown) {
  return api(apiRequest("/api/v1/webhooks", { method: "POST", key: secret, body }));
}

describe("/api/v1/webhooks", () => {
  it("creates an endpoint with a whsec_ secret shown once and stored encrypted", async () => {
    setWebhookResolver(PUBLIC);
    const [admin] = await newUserKeys(["admin"]);
    const res = await post(admin.secret, { url: "https://hooks.example.com/in", events: ["key.created"] });
    expect(res.status).toBe(201);
    const { webhook, secret } = await res.json();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(webhook).toMatchObject({ url: "https://hooks.example.com/in", events: ["key.created"], enabled: true });
    const row = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } });
    expect(row.secretEnc).not.toContain(secret.slice(6));
    const listed = await (await api(apiRequest("/api/v1/webhooks", { key: admin.secret }))).text();
    expect(listed).not.toContain(secret.slice(6));
    expect(listed).toContain(webhook.id);
  });

  it("needs the admin scope", async () => {
    const [reader] = await newUserKeys(["read", "write"]);
    const res = await api(apiRequest("/api/v1/webhooks", { key: reader.secret }));
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe("insufficient_scope");
  });

  it.each([
    ["http://hooks.example.com/", /https/],
    ["https://127.0.0.1/", /private/],
    ["https://10.1.2.3/", /private/],
    ["https://169.254.169.254/latest/meta-data", /private/],
    ["https://[::1]/", /private/],
    ["https://100.64.0.1/", /private/],
    ["https://localhost/", /localhost/],
    ["https://user:pw@hooks.example.com/", /password/],
    ["not a url", /absolute URL/],
  ])("refuses %s with a 400 naming url", async (url, message) => {
    const [admin] = await newUserKeys(["admin"]);
    const res = await post(admin.secret, { url, events: ["key.created"] });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe("invalid_request");
    expect(error.message).toMatch(/^url: /);
    expect(error.message).toMatch(message);
  });

  it("refuses a host whose DNS answers a private address", async () => {
    setWebhookResolver(async () => [
      { address: "93.184.215.14", family: 4 },
      { address: "10.0.0.5", family: 4 },
    ]);
    const [admin] = await newUserKeys(["admin"]);
    const res = await post(admin.secret, { url: "https://rebind.example.com/", events: ["key.created"] });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/^url: .*10\.0\.0\.5/);
  });

  it("names the field of bad events and answers 404 for another organization's endpoint", async () => {
    setWebhookResolver(PUBLIC);
    const [admin] = await newUserKeys(["admin"]);
    const bad = await post(admin.secret, { url: "https://hooks.example.com/", events: ["key.nope"] });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/^events/);
    const none = await post(admin.secret, { url: "https://hooks.example.com/", events: [] });
    expect((await none.json()).error.message).toMatch(/^events: Choose at least one event/);

    const other = await createUser("other");
    const otherAdmin = await makeKey(other.id, ["admin"]);
    const { webhook } = await (
      await post(otherAdmin.secret, { url: "https://hooks.example.com/", events: ["key.created"] })
    ).json();
    for (const [method, path] of [
      ["GET", `/api/v1/webhooks/${webhook.id}`],
      ["PATCH", `/api/v1/webhooks/${webhook.id}`],
      ["DELETE", `/api/v1/webhooks/${webhook.id}`],
      ["GET", `/api/v1/webhooks/${webhook.id}/deliveries`],
    ] as const) {
      const res = await api(
        apiRequest(path, { method, key: admin.secret, ...(method === "PATCH" ? { body: { enabled: false } } : {}) }),
      );
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } })).enabled).toBe(true);
  });

  it("re-enables an endpoint Keyhold disabled, clearing its failure record", async () => {
    setWebhookResolver(PUBLIC);
    const [admin] = await newUserKeys(["admin"]);
    const { webhook } = await (
      await post(admin.secret, { url: "https://hooks.example.com/", events: ["key.created"] })
    ).json();
    await db.webhookEndpoint.update({
      where: { id: webhook.id },
      data: { enabled: false, disabledAt: new Date(), disabledReason: "x", failingSince: new Date() },
    });
    const res = await api(
      apiRequest(`/api/v1/webhooks/${webhook.id}`, { method: "PATCH", key: admin.secret, body: { enabled: true } }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      enabled: true,
      disabledAt: null,
      disabledReason: null,
      failingSince: null,
    });
  });
});
