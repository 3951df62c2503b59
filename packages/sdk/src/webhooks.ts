// Checking a webhook delivery from Keyhold in the receiver: its Standard Webhooks signature (webhook-id,
// webhook-timestamp, webhook-signature; HMAC-SHA256 with the endpoint's whsec_ secret), at most 5 minutes old.
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { KeyholdError } from "./errors.js";
import type { webhooks } from "./schema.js";

/** Every event type Keyhold delivers (the document's `webhooks` section), such as `key.created`, `webhook.test`. */
export type WebhookEventType = keyof webhooks;

/** The delivered body of a `T` event: `{type, timestamp, data}` with that type's data. */
export type WebhookEventOf<T extends WebhookEventType> =
  webhooks[T]["post"]["requestBody"]["content"]["application/json"];

/**
 * A Keyhold webhook event as delivered: `{type, timestamp, data}` (never a secret), a union discriminated by `type`:
 * `if (event.type === "key.revoked") event.data.key.id` type-checks. A newer Keyhold may send types this version does
 * not list: ignore the ones you do not handle.
 */
export type WebhookEvent = { [T in WebhookEventType]: WebhookEventOf<T> }[WebhookEventType];

/** A delivery's headers: a fetch `Headers`, or a plain object such as Node's or Express's `req.headers`. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

// The three Standard Webhooks headers, whatever the container and case.
function signedHeaders(headers: WebhookHeaders): Record<string, string> {
  const read = (name: string): string => {
    if (headers instanceof Headers) return headers.get(name) ?? "";
    const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
    return (Array.isArray(entry) ? entry[0] : entry) ?? "";
  };
  return {
    "webhook-id": read("webhook-id"),
    "webhook-timestamp": read("webhook-timestamp"),
    "webhook-signature": read("webhook-signature"),
  };
}

/**
 * The event of a webhook delivery whose signature `secret` (the endpoint's `whsec_…`) made, sent less than 5 minutes
 * ago. Pass the raw body as received (string or bytes), not re-serialised JSON. Throws {@link KeyholdError}
 * `invalid_signature` otherwise.
 */
export function verifyWebhook(payload: string | Uint8Array, headers: WebhookHeaders, secret: string): WebhookEvent {
  const body = typeof payload === "string" ? payload : Buffer.from(payload);
  try {
    return new Webhook(secret).verify(body, signedHeaders(headers)) as WebhookEvent;
  } catch (err) {
    if (err instanceof WebhookVerificationError || err instanceof Error)
      throw new KeyholdError("invalid_signature", `webhook not verified: ${err.message}`, 0, null, { cause: err });
    throw err;
  }
}

/**
 * The Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) that sign `payload` with
 * `secret` (a `whsec_…` secret) as Keyhold's deliveries are signed: for tools that forward events (`keyhold listen`)
 * and for testing a receiver. `id` is the message id (Keyhold uses the event id); `timestamp` defaults to now.
 */
export function signWebhook(
  payload: string,
  secret: string,
  message: { id: string; timestamp?: Date },
): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  const timestamp = message.timestamp ?? new Date();
  return {
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(message.id, timestamp, payload),
  };
}
