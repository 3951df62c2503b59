// The `data` of each event type, one zod schema each: what the emitters may send (emitEvent is typed by them), what the
// OpenAPI document's `webhooks` section shows, and what the SDKs' typed events are generated from. No Node-only imports.
import { z } from "zod";
import { AuditEventSchema, dateTime, KeySchema, WebhookSchema } from "../validations/objects";
import { EVENT_TYPES, TEST_EVENT_TYPE, type EventType } from "./types";

const role = z.enum(["owner", "admin", "developer", "viewer"]);

const member = z
  .strictObject({ userId: z.string(), email: z.string(), role })
  .meta({ description: "The member concerned, with their role in the organization" });

const keyRequest = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    environment: z.enum(["live", "test"]),
    scopes: KeySchema.shape.scopes,
    permissions: KeySchema.shape.permissions,
    keyExpiresAt: dateTime.nullable().meta({ description: "When the requested key would expire (null: never)" }),
    reason: z.string().meta({ description: "Why the requester needs the key" }),
    status: z.enum(["pending", "approved", "denied", "revealed"]),
    requesterId: z.string(),
    decidedById: z.string().nullable().meta({ description: "The reviewer who approved or denied it" }),
    denyReason: z.string().nullable(),
  })
  .meta({
    id: "KeyRequest",
    description: "A key request (an approved request's key is made when its requester reveals it)",
  });

// The key as it is after the event (never its secret), under its OpenAPI name.
const key = KeySchema;

const keyChanges = z
  .strictObject({
    name: z.string(),
    scopes: KeySchema.shape.scopes,
    permissions: KeySchema.shape.permissions,
    expiresAt: dateTime.nullable(),
    ipAllowlist: z.array(z.string()).meta({ description: "The allowlist's addresses and ranges (notes left out)" }),
    rateLimit: z.number().int().nullable(),
    credits: z
      .strictObject({
        remaining: z.number().int(),
        refill: z.strictObject({ amount: z.number().int(), interval: z.enum(["day", "month"]) }).nullable(),
      })
      .nullable(),
  })
  .partial()
  .meta({
    id: "KeyChanges",
    description: "The fields a change set, with their new values (as the audit log records them)",
  });

// Every event type's `data`, by type (webhook.test included: it is delivered like the others).
export const EVENT_PAYLOADS = {
  "key.created": z.strictObject({ key }),
  "key.updated": z.strictObject({ key, changes: keyChanges }),
  "key.rotated": z.strictObject({
    key,
    previousPrefix: z.string().meta({ description: "The replaced secret's prefix" }),
    previousExpiresAt: dateTime
      .nullable()
      .meta({ description: "Until when the replaced secret still works (null: it stopped at once)" }),
  }),
  "key.revoked": z.strictObject({ key }),
  "key.expiring": z.strictObject({
    key,
    daysAhead: z.union([z.literal(7), z.literal(1)]).meta({ description: "Sent 7 days ahead, then 1 day ahead" }),
  }),
  "key.expired": z.strictObject({ key }),
  "key.leaked": z.strictObject({
    key,
    source: z.enum(["github", "report"]).meta({ description: "GitHub secret scanning, or someone's report" }),
    url: z.string().nullable().meta({ description: "Where the secret was found, when the reporter said" }),
    action: z
      .enum(["revoked", "notified"])
      .meta({ description: "What the organization's leak response did: revoked the key, or marked it only" }),
  }),
  "key_request.created": z.strictObject({ request: keyRequest }),
  "key_request.approved": z.strictObject({ request: keyRequest }),
  "key_request.denied": z.strictObject({ request: keyRequest }),
  "member.invited": z.strictObject({
    invitation: z.strictObject({
      id: z.string(),
      email: z.string(),
      role,
      invitedById: z.string(),
      expiresAt: dateTime,
    }),
  }),
  "member.joined": z.strictObject({ member, invitationId: z.string() }),
  "member.removed": z.strictObject({
    member,
    removedById: z.string().meta({ description: "Who removed them (the member themselves when they left)" }),
    left: z.boolean().meta({ description: "true: the member left; false: they were removed" }),
    keysRevoked: z.number().int().min(0).meta({ description: "How many of their keys the removal revoked" }),
  }),
  "credits.low": z.strictObject({
    key,
    remaining: z.number().int().min(0),
    threshold: z
      .union([z.literal(20), z.literal(0)])
      .meta({ description: "The percentage of `base` crossed: 20 (low), then 0 (ran out)" }),
    base: z.number().int().min(1).meta({ description: "The refill amount, else the credits last set" }),
  }),
  "ratelimit.exceeded": z.strictObject({
    key,
    limit: z.number().int().min(1).meta({ description: "The key's requests per minute (its own, else its plan's)" }),
    hour: dateTime.meta({ description: "The hour of the first refusal (sent at most once a key an hour)" }),
  }),
  "webhook.disabled": z.strictObject({ webhook: WebhookSchema }),
  "audit.event": AuditEventSchema,
  "webhook.test": z.strictObject({ webhookId: z.string(), message: z.string() }),
} satisfies Record<EventType | typeof TEST_EVENT_TYPE, z.ZodType>;

// Every type an endpoint can be sent: the subscribable ones and webhook.test.
export type WebhookEventType = keyof typeof EVENT_PAYLOADS;

export const WEBHOOK_EVENT_TYPES = [...EVENT_TYPES, TEST_EVENT_TYPE] as const satisfies readonly WebhookEventType[];

// What an emitter passes as the `data` of a `T` event.
export type EventPayload<T extends WebhookEventType> = z.input<(typeof EVENT_PAYLOADS)[T]>;

// An event as emitted: its type and that type's data (a mismatch does not compile).
export type EventOf<T extends WebhookEventType = WebhookEventType> = {
  [K in T]: { type: K; data: EventPayload<K> };
}[T];

// The delivered body of a `type` event, `{type, timestamp, data}` (Standard Webhooks' envelope).
export function webhookEventSchema<T extends WebhookEventType>(type: T) {
  return z.strictObject({
    type: z.literal(type).meta({ const: type }),
    timestamp: dateTime.meta({ description: "When the event happened (ISO 8601, UTC)" }),
    data: EVENT_PAYLOADS[type] as (typeof EVENT_PAYLOADS)[T],
  });
}
