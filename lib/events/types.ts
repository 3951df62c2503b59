// The event types Keyhold emits (no Node-only imports: forms and client components read the list too).
export const EVENT_TYPES = [
  "key.created",
  "key.updated",
  "key.rotated",
  "key.revoked",
  "key.expiring",
  "key.expired",
  "key.leaked",
  "key_request.created",
  "key_request.approved",
  "key_request.denied",
  "member.invited",
  "member.joined",
  "member.removed",
  "credits.low",
  "ratelimit.exceeded",
  "webhook.disabled",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

// What "Send test event" sends: only to the endpoint it was asked for, never to subscribers.
export const TEST_EVENT_TYPE = "webhook.test";

// An endpoint whose every delivery failed for this many days is disabled (with a `webhook.disabled` event).
export const WEBHOOK_DISABLE_AFTER_DAYS = 5;

// The notification bell counts unread events up to here ("99+"): the badge needs no exact figure.
export const UNREAD_CAP = 100;
