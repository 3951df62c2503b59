// The objects the API answers with that events carry too (keys, webhook endpoints, audit events): one schema each, for
// the OpenAPI document (lib/api/schemas.ts) and the event payloads (lib/events/payloads.ts). No Node-only imports.
import { z } from "zod";
import { EVENT_TYPES } from "../events/types";
import { SCOPES } from "../keys/scopes";
import { MAX_RATE_LIMIT } from "./keys";
import { PERMISSION_NAME_PATTERN } from "./permissions";

export const dateTime = z.iso.datetime({ offset: true });

export const ScopeSchema = z.enum(SCOPES).meta({ id: "Scope" });

export const PermissionNameSchema = z
  .string()
  .regex(PERMISSION_NAME_PATTERN)
  .meta({ id: "PermissionName", description: "resource:action, lower case; action * grants every action" });

export const AllowlistEntrySchema = z
  .strictObject({
    value: z
      .string()
      .meta({ description: "An IPv4/IPv6 address or CIDR range, stored normalised (10.0.0.1/24 → 10.0.0.0/24)" }),
    note: z.string().max(200).optional(),
  })
  .meta({ id: "AllowlistEntry" });

export const KeyCreditsSchema = z
  .strictObject({
    remaining: z.number().int().min(0).meta({ description: "Credits left now (a due refill counted)" }),
    refill: z
      .strictObject({ amount: z.number().int().min(1), interval: z.enum(["day", "month"]) })
      .nullable()
      .meta({ description: "Remaining is SET to amount at each UTC day or month boundary; null: no refill" }),
  })
  .nullable()
  .meta({
    id: "KeyCredits",
    description: "Prepaid credits each verification spends (its cost, default 1); null: unlimited",
  });

export const KeySchema = z
  .strictObject({
    id: z.string(),
    name: z.string().min(1).max(64),
    prefix: z.string().meta({ description: "The first 12 characters of the secret" }),
    environment: z.enum(["live", "test"]),
    scopes: z.array(ScopeSchema).min(1),
    permissions: z.array(PermissionNameSchema).meta({
      description: "Catalogue permissions the key holds, sorted (resource:* grants every action of the resource)",
    }),
    expiresAt: dateTime.nullable(),
    ipAllowlist: z.array(AllowlistEntrySchema).max(100).meta({ description: "Empty: any address" }),
    rateLimit: z.number().int().min(1).max(MAX_RATE_LIMIT).nullable().meta({
      description:
        "Requests per minute for this key; null: the organization plan's default (free 60, pro 600, enterprise 6000)",
    }),
    createdAt: dateTime,
    lastUsedAt: dateTime.nullable(),
    revokedAt: dateTime.nullable(),
    createdBy: z
      .string()
      .nullable()
      .meta({ description: "The id of the member who created the key; null: created through the API" }),
    credits: KeyCreditsSchema,
  })
  .meta({ id: "Key" });

export const WebhookSchema = z
  .strictObject({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(EVENT_TYPES)).meta({ description: "The event types sent to this endpoint" }),
    enabled: z.boolean(),
    failingSince: dateTime.nullable().meta({ description: "Start of the current run of failed attempts" }),
    disabledAt: dateTime.nullable(),
    disabledReason: z
      .string()
      .nullable()
      .meta({ description: "Set when Keyhold disabled the endpoint (5 days of failures); null when disabled by hand" }),
    createdAt: dateTime,
  })
  .meta({ id: "Webhook" });

export const AuditEventSchema = z
  .strictObject({
    id: z.string(),
    action: z
      .string()
      .meta({ description: "What happened, e.g. key.created, member.role_changed (docs/audit.md lists them)" }),
    at: dateTime,
    organizationId: z.string().nullable(),
    actor: z
      .strictObject({
        type: z.enum(["user", "key", "service", "system", "anonymous"]),
        userId: z.string().nullable(),
        email: z.string().nullable().meta({ description: "The acting user's email now (null: removed or none)" }),
        keyId: z.string().nullable().meta({ description: "The acting API key, for a change made over REST" }),
        keyPrefix: z.string().nullable(),
        keyName: z.string().nullable().meta({ description: "The acting key's name when it acted" }),
      })
      .meta({ description: "Who acted: a user in a session, or an API key acting as its creator" }),
    target: z
      .strictObject({
        userId: z.string().nullable().meta({ description: "The account concerned" }),
        keyId: z.string().nullable().meta({ description: "The key concerned" }),
        keyName: z.string().nullable(),
        keyPrefix: z.string().nullable(),
      })
      .meta({ description: "What the event is about" }),
    metadata: z.unknown().meta({ description: "Details of the change (never a secret or a code)" }),
    ip: z.string().nullable(),
  })
  .meta({ id: "AuditEvent" });
