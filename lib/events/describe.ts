// Events in words, for the notification bell and the webhooks page (no Node-only imports: client components use it).
import { WEBHOOK_DISABLE_AFTER_DAYS, type EventType } from "./types";

// What each event type means, for the subscription checkboxes.
export const EVENT_LABELS: Record<EventType, string> = {
  "key.created": "A key was created",
  "key.updated": "A key's settings changed",
  "key.rotated": "A key's secret was rotated",
  "key.revoked": "A key was revoked",
  "key.expiring": "A key expires in 7 days, then in 1 day",
  "key.expired": "A key expired",
  "key.leaked": "A key was reported leaked",
  "key_request.created": "A member asked for a key",
  "key_request.approved": "A key request was approved",
  "key_request.denied": "A key request was denied",
  "member.invited": "Someone was invited",
  "member.joined": "Someone joined",
  "member.removed": "A member was removed or left",
  "credits.low": "A key's credits fell to 20 % or ran out",
  "ratelimit.exceeded": "A key hit its rate limit (at most once an hour)",
  "webhook.disabled": `Keyhold disabled a webhook endpoint that failed for ${WEBHOOK_DISABLE_AFTER_DAYS} days`,
  "audit.event": "Every audit event (the audit log as a stream: changes, sign-ins to the organization, who made them)",
};

type Data = Record<string, unknown>;

function str(v: unknown): string {
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : "";
}

function keyName(data: Data): string {
  const key = (data.key ?? {}) as Data;
  const name = str(key.name);
  const prefix = str(key.prefix);
  return name ? `Key “${name}”${prefix ? ` (${prefix}…)` : ""}` : "A key";
}

function requestName(data: Data): string {
  const name = str(((data.request ?? {}) as Data).name);
  return name ? `key request “${name}”` : "a key request";
}

function memberName(data: Data): string {
  const member = (data.member ?? data.invitation ?? {}) as Data;
  return str(member.email) || "A member";
}

// One sentence for an event.
export function describeEvent(type: string, data: Data): string {
  switch (type as EventType) {
    case "key.created":
      return `${keyName(data)} was created`;
    case "key.updated":
      return `${keyName(data)} was changed`;
    case "key.rotated":
      return `${keyName(data)} got a new secret`;
    case "key.revoked":
      return `${keyName(data)} was revoked`;
    case "key.expiring":
      return `${keyName(data)} expires within ${data.daysAhead === 1 ? "a day" : "7 days"}`;
    case "key.expired":
      return `${keyName(data)} expired`;
    case "key.leaked":
      return `${keyName(data)} was reported leaked${data.action === "revoked" ? " and revoked" : ""}`;
    case "key_request.created":
      return `New ${requestName(data)} awaits approval`;
    case "key_request.approved":
      return `The ${requestName(data)} was approved`;
    case "key_request.denied":
      return `The ${requestName(data)} was denied`;
    case "member.invited":
      return `${memberName(data)} was invited`;
    case "member.joined":
      return `${memberName(data)} joined`;
    case "member.removed":
      return data.left ? `${memberName(data)} left` : `${memberName(data)} was removed`;
    case "credits.low":
      return data.threshold === 0
        ? `${keyName(data)} ran out of credits`
        : `${keyName(data)} has ${str(data.remaining)} credits left`;
    case "ratelimit.exceeded":
      return `${keyName(data)} hit its rate limit`;
    case "webhook.disabled": {
      const url = str(((data.webhook ?? {}) as Data).url);
      return `Webhook endpoint ${url ? `${url} ` : ""}was disabled: every delivery failed for ${WEBHOOK_DISABLE_AFTER_DAYS} days`;
    }
    case "audit.event":
      return `Audit: ${str(data.action)}`;
    default:
      return type === "webhook.test" ? "A webhook test event was sent" : type;
  }
}
