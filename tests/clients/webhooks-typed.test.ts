// @keyhold/sdk's typed webhook events: events a real Keyhold emitted (read from its event stream, the body a delivery
// carries, signed as deliveries are) come out of webhooks.verify as the union discriminated by `type`, narrowed at
// compile time (the @ts-expect-error lines fail `npm run typecheck` if a wrong field compiles) and at run time.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Keyhold, type WebhookEvent, type WebhookEventOf, type WebhookEventType } from "@keyhold/sdk";
import { signatureHeaders } from "../../lib/webhooks/send";
import { WEBHOOK_EVENT_TYPES } from "../../lib/events/payloads";
import { frames } from "../helpers/sse";
import { startFixture, type Fixture } from "./fixture";

let fixture: Fixture;
let stop: () => Promise<void>;
beforeAll(async () => ({ fixture, stop } = await startFixture()));
afterAll(() => stop?.());

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const secret = `whsec_${randomBytes(24).toString("base64")}`;

// What a receiver does with one event: reads the fields its type has.
function describeEvent(event: WebhookEvent): string {
  switch (event.type) {
    case "key.revoked":
      // @ts-expect-error key.revoked's data has the key, no keyId
      void event.data.keyId;
      return `revoked ${event.data.key.id} (${event.data.key.revokedAt})`;
    case "key.updated":
      return `updated ${event.data.key.id}: ${Object.keys(event.data.changes).join(",")}`;
    case "key.created":
      // @ts-expect-error only key.updated says what changed
      void event.data.changes;
      return `created ${event.data.key.name}`;
    default:
      return event.type;
  }
}

describe("typed webhook events", () => {
  it("come out of webhooks.verify narrowed by type", async () => {
    const admin = new Keyhold({ endpoint: fixture.endpoint, apiKey: fixture.keys.admin.secret, env: {} });
    const res = await fetch(`${fixture.endpoint}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${fixture.keys.admin.secret}`, accept: "text/event-stream" },
      signal: AbortSignal.timeout(30_000),
    });
    expect(res.status).toBe(200);
    const stream = frames(res.body!);
    try {
      const { key } = await admin.keys.create({ name: "typed", environment: "test", scopes: ["read"] });
      await admin.keys.update(key.id, { name: "typed-renamed" });
      await admin.keys.revoke(key.id);

      const described: string[] = [];
      while (described.length < 3) {
        const frame = await stream.nextEvent(10_000);
        if (!frame) throw new Error("the event stream ended");
        const headers = signatureHeaders(secret, { id: frame.id!, timestamp: new Date(), body: frame.data! });
        const event = admin.webhooks.verify(frame.data!, headers, secret);
        expect(event.type).toBe(frame.event);
        described.push(describeEvent(event));
      }
      expect(described).toEqual([
        "created typed",
        `updated ${key.id}: name`,
        expect.stringMatching(new RegExp(`^revoked ${key.id} \\(\\d{4}-`)),
      ]);
    } finally {
      await stream.cancel();
    }
  });

  it("name every type the server sends, each with its own data", () => {
    // Compiles only while the SDK's types and the server's list are the same set.
    const same: Same<WebhookEventType, (typeof WEBHOOK_EVENT_TYPES)[number]> = true;
    expect(same).toBe(true);
    const test: WebhookEventOf<"webhook.test"> = {
      type: "webhook.test",
      timestamp: "2026-12-04T10:00:00.000Z",
      data: { webhookId: "wh_1", message: "hi" },
    };
    // @ts-expect-error the envelope's type and data belong together
    const wrong: WebhookEventOf<"key.revoked"> = test;
    expect(describeEvent(wrong)).toBe("webhook.test");
  });
});
