// The event payload schemas (lib/events/payloads.ts): each type's data is its own (another type's, an unknown field or a
// missing one is refused), the envelope ties type to data, and the OpenAPI document declares one webhook per type.
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/app";
import type { EventInput } from "@/lib/events/emit";
import { EVENT_PAYLOADS, WEBHOOK_EVENT_TYPES, webhookEventSchema } from "@/lib/events/payloads";

describe("the OpenAPI document", () => {
  it("declares one webhook per event type: the envelope with its type as a const and the type's data", async () => {
    const webhooks = openApiDocument.webhooks ?? {};
    expect(Object.keys(webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    const body = (type: string) => {
      const post = (webhooks[type] as { post: { requestBody: { content: Record<string, { schema: unknown }> } } }).post;
      return post.requestBody.content["application/json"].schema as {
        required: string[];
        properties: { type: { const: string }; data: { $ref?: string; properties?: Record<string, unknown> } };
      };
    };
    for (const type of WEBHOOK_EVENT_TYPES) {
      expect(body(type).required).toEqual(["type", "timestamp", "data"]);
      expect(body(type).properties.type.const).toBe(type);
    }
    expect(Object.keys(body("member.removed").properties.data.properties!)).toEqual([
      "member",
      "removedById",
      "left",
      "keysRevoked",
    ]);
    expect(body("audit.event").properties.data.$ref).toBe("#/components/schemas/AuditEvent");
  });
});

describe("a payload schema", () => {
  it("refuses data of another type, an unknown field and a missing one", () => {
    const key = { id: "k", name: "n", prefix: "kh_test_abcd" };
    expect(EVENT_PAYLOADS["key.revoked"].safeParse({ webhookId: "wh", message: "hi" }).success).toBe(false);
    expect(EVENT_PAYLOADS["webhook.test"].safeParse({ webhookId: "wh", message: "hi", extra: 1 }).success).toBe(false);
    expect(EVENT_PAYLOADS["webhook.test"].safeParse({ webhookId: "wh" }).success).toBe(false);
    expect(EVENT_PAYLOADS["key.revoked"].safeParse({ key }).success).toBe(false);
  });

  it("types what an emitter passes: a type's data only (`npm run typecheck` fails if a wrong one compiles)", () => {
    const test = { webhookId: "wh", message: "hi" };
    const right: EventInput<"webhook.test"> = { organizationId: "org", type: "webhook.test", data: test };
    // @ts-expect-error key.revoked's data is {key}
    const wrong: EventInput = { organizationId: "org", type: "key.revoked", data: test };
    // @ts-expect-error webhook.test is sent by "send test event" alone: emitEvent does not take it
    const test2: EventInput = right;
    expect([right, wrong, test2].map((e) => EVENT_PAYLOADS[e.type].safeParse(e.data).success)).toEqual([
      true,
      false,
      true,
    ]);
  });

  it("ties the envelope's type to its data", () => {
    const body = {
      type: "webhook.test",
      timestamp: "2026-12-04T10:00:00.000Z",
      data: { webhookId: "wh", message: "hi" },
    };
    expect(webhookEventSchema("webhook.test").safeParse(body).success).toBe(true);
    expect(webhookEventSchema("key.revoked").safeParse(body).success).toBe(false);
    expect(webhookEventSchema("webhook.test").safeParse({ ...body, timestamp: "yesterday" }).success).toBe(false);
  });
});
