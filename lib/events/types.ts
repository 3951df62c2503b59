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
  "audit.event",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

// Opt-in: every audit event of the organization, as the audit API shows it (the SIEM route). Not a notification.
export const AUDIT_EVENT_TYPE = "audit.event" satisfies EventType;

// The events the notification bell shows (every type but the audit stream).
export const NOTIFIED_EVENT_TYPES: readonly EventType[] = EVENT_TYPES.filter((t) => t !== AUDIT_EVENT_TYPE);

// What "Send test event" sends: only to the endpoint it was asked for, never to subscribers.
export const TEST_EVENT_TYPE = "webhook.test";

// An endpoint whose every delivery failed for this many days is disabled (with a `webhook.disabled` event).
export const WEBHOOK_DISABLE_AFTER_DAYS = 5;

// The notification bell counts unread events up to here ("99+"): the badge needs no exact figure.
export const UNREAD_CAP = 100;
