// The API's documented shapes: responses (what the handlers answer) and the request schemas of lib/validations under
// their OpenAPI names. The generated document (lib/api/app.ts) refers to each by name.
import { z } from "zod";
import { ERROR_CODE_LIST, GATEWAY_VERDICTS } from "../errors";
import { USAGE_OUTCOMES } from "../usage/outcomes";
import {
  createKeySchema,
  listKeysQuerySchema,
  rotateKeySchema,
  updateKeySchema,
  verifyRequestSchema,
} from "../validations/keys";
import { permissionCatalogueSchema } from "../validations/permissions";
import { usageParamsSchema } from "../validations/usage";
import { listAuditQuerySchema } from "../validations/audit";
import { deviceStartSchema, deviceTokenSchema } from "../validations/cli-device";
import {
  createWebhookSchema,
  listDeliveriesQuerySchema,
  MAX_WEBHOOKS_PER_ORGANIZATION,
  updateWebhookSchema,
} from "../validations/webhooks";

import {
  AuditEventSchema,
  dateTime,
  KeySchema,
  PermissionNameSchema,
  ScopeSchema,
  WebhookSchema,
} from "../validations/objects";

// The objects events carry too (keys, webhook endpoints, audit events) are declared beside the event payloads' other
// pieces, under the same OpenAPI names.
export {
  AllowlistEntrySchema,
  AuditEventSchema,
  KeyCreditsSchema,
  KeySchema,
  PermissionNameSchema,
  ScopeSchema,
  WebhookSchema,
} from "../validations/objects";

export const ErrorSchema = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(ERROR_CODE_LIST),
      message: z.string(),
      reason: z.string().optional().meta({
        description:
          "A finer cause, when there is one: creator_not_member (the key's creator left its organization), approval_required, last_owner, …",
      }),
    }),
  })
  .meta({
    id: "Error",
    description:
      "Every error: the code (from the one error table), a message, and sometimes a reason; field errors name the field first",
  });

export const PermissionSchema = z
  .strictObject({ name: PermissionNameSchema, description: z.string().max(200) })
  .meta({ id: "Permission" });

export const PermissionListSchema = z
  .strictObject({ data: z.array(PermissionSchema) })
  .meta({ id: "PermissionList", description: "The permission catalogue, by name" });

export const OrganizationSummarySchema = z
  .strictObject({ id: z.string(), slug: z.string(), name: z.string(), plan: z.enum(["FREE", "PRO", "ENTERPRISE"]) })
  .meta({ id: "OrganizationSummary" });

export const PoliciesSchema = z
  .strictObject({
    maxKeyLifetimeDays: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Keys must expire within this many days (null: no maximum)" }),
    requireAllowlistForAdmin: z.boolean().meta({ description: "Admin-scope keys need an IP allowlist" }),
    requireMfa: z.boolean().meta({ description: "Every member must use two-factor authentication" }),
    keyRequestPolicy: z.enum(["never", "admin_scope", "always"]).meta({
      description:
        "Which developers' keys need an administrator's approval: never, admin scope or listed permissions, always",
    }),
    approvalPermissions: z
      .array(z.string())
      .meta({ description: "Permissions whose keys need approval (admin_scope)" }),
    leakResponse: z.enum(["revoke", "notify"]).meta({ description: "What happens to a key reported as leaked" }),
  })
  .meta({ id: "Policies" });

export const OrganizationSchema = z
  .strictObject({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    plan: z.enum(["FREE", "PRO", "ENTERPRISE"]),
    policies: PoliciesSchema,
  })
  .meta({ id: "Organization" });

export const MemberListSchema = z
  .strictObject({
    data: z.array(
      z
        .strictObject({
          userId: z.string(),
          email: z.string(),
          role: z.enum(["owner", "admin", "developer", "viewer"]),
          mfa: z.boolean().meta({ description: "Two-factor authentication enrolled" }),
          joinedAt: dateTime,
        })
        .meta({ id: "Member" }),
    ),
  })
  .meta({ id: "MemberList", description: "Every member, in the order they joined" });

export const KeyWithSecretSchema = z
  .strictObject({ key: KeySchema, secret: z.string().meta({ description: "Shown this once; store it now" }) })
  .meta({ id: "KeyWithSecret" });

export const KeyListSchema = z
  .strictObject({ data: z.array(KeySchema), nextCursor: z.string().nullable() })
  .meta({ id: "KeyList" });

export const WhoamiSchema = z
  .strictObject({ key: KeySchema, clientId: z.string(), organization: OrganizationSummarySchema })
  .meta({ id: "Whoami" });

// GET /api/health (outside the document): ready, degraded (database unreachable) or draining.
export const HealthSchema = z.strictObject({
  status: z.enum(["ok", "degraded", "draining"]),
  database: z.enum(["ok", "unreachable"]).optional(),
});

export const PingSchema = z
  .strictObject({
    status: z.literal("ok"),
    time: dateTime,
    ip: z.string().nullable().meta({ description: "The caller's address as Keyhold sees it (TRUST_PROXY applies)" }),
  })
  .meta({ id: "Ping" });

export const VerifyResponseSchema = z
  .strictObject({
    valid: z.boolean(),
    code: z.enum(GATEWAY_VERDICTS as [string, ...string[]]),
    keyId: z.string().nullable(),
    ownerId: z
      .string()
      .nullable()
      .meta({ description: "The member who created the key (null: created through the API)" }),
    organizationId: z.string().nullable(),
    clientId: z.string().nullable(),
    scopes: z.array(ScopeSchema),
    permissions: z.array(PermissionNameSchema).meta({ description: "The key's permissions (empty: unknown key)" }),
    expiresAt: dateTime.nullable(),
    ratelimit: z
      .strictObject({
        limit: z.number().int(),
        remaining: z.number().int(),
        reset: z.number().int().meta({ description: "Unix time (seconds) when the window ends" }),
      })
      .nullable()
      .meta({
        description:
          "Set when the request was counted against the key's limit (VALID and RATE_LIMITED); null otherwise",
      }),
    credits: z
      .strictObject({ remaining: z.number().int().min(0) })
      .nullable()
      .meta({
        description:
          "Set when the request reached the credits step with a key that has credits (VALID and USAGE_EXCEEDED): what remains; null otherwise (unlimited, or refused earlier)",
      }),
  })
  .meta({ id: "VerifyResponse" });

const OutcomeCountsSchema = z
  .strictObject(Object.fromEntries(USAGE_OUTCOMES.map((o) => [o, z.number().int().min(1).optional()])))
  .meta({
    id: "OutcomeCounts",
    description: "Requests per outcome: valid, or the rejection's error code; outcomes with no requests are left out",
  });

export const UsageSchema = z
  .strictObject({
    from: dateTime.meta({ description: "Start of the first bucket (the range widened to whole buckets)" }),
    to: dateTime.meta({ description: "End of the last bucket" }),
    interval: z.enum(["minute", "hour", "day"]),
    timeZone: z.string().meta({ description: "IANA zone whose local days the day buckets are" }),
    keyId: z.string().nullable(),
    data: z
      .array(
        z.strictObject({
          start: dateTime,
          total: z.number().int(),
          outcomes: OutcomeCountsSchema,
          avgLatencyMs: z.number().nullable(),
          credits: z.number().int().meta({ description: "Credits spent in the bucket" }),
        }),
      )
      .meta({ description: "One bucket per interval, oldest first, zero-filled" }),
    totals: z.strictObject({
      total: z.number().int(),
      outcomes: OutcomeCountsSchema,
      successRate: z.number().nullable().meta({ description: "valid / total; null without requests" }),
      credits: z.number().int().meta({ description: "Credits spent in the range" }),
      keys: z
        .array(
          z.strictObject({
            keyId: z.string(),
            name: z.string(),
            prefix: z.string().nullable(),
            total: z.number().int(),
            outcomes: OutcomeCountsSchema,
            credits: z.number().int().meta({ description: "Credits the key spent" }),
          }),
        )
        .meta({ description: "Per key, busiest first" }),
    }),
  })
  .meta({ id: "Usage" });

// The request schemas of lib/validations, named for the document: `.meta()` clones validate exactly as the originals.
export const CreateKeyRequest = createKeySchema.meta({ id: "CreateKeyRequest" });
export const UpdateKeyRequest = updateKeySchema.meta({ id: "UpdateKeyRequest" });
export const RotateKeyRequest = rotateKeySchema.meta({ id: "RotateKeyRequest" });
export const VerifyRequest = verifyRequestSchema.meta({ id: "VerifyRequest" });
export const PermissionCatalogueRequest = permissionCatalogueSchema.meta({ id: "PermissionCatalogue" });
export const ListKeysQuery = listKeysQuerySchema;
export const UsageQuery = usageParamsSchema;

export const WebhookListSchema = z.strictObject({ data: z.array(WebhookSchema) }).meta({ id: "WebhookList" });

export const WebhookWithSecretSchema = z
  .strictObject({
    webhook: WebhookSchema,
    secret: z.string().meta({ description: "The whsec_… signing secret: shown this once; store it now" }),
  })
  .meta({ id: "WebhookWithSecret" });

export const DeletedSchema = z.strictObject({ id: z.string(), deleted: z.literal(true) }).meta({ id: "Deleted" });

export const WebhookDeliverySchema = z
  .strictObject({
    id: z.string(),
    eventId: z.string().meta({ description: "Also the webhook-id header, the same on every attempt" }),
    eventType: z.string(),
    status: z.enum(["pending", "succeeded", "failed"]),
    attempts: z.number().int(),
    nextAttemptAt: dateTime.nullable(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: dateTime,
    attemptLog: z.array(
      z.strictObject({
        attempt: z.number().int(),
        statusCode: z.number().int().nullable(),
        durationMs: z.number().int(),
        responseExcerpt: z.string().nullable().meta({ description: "The first 1 KB of the answer" }),
        error: z.string().nullable(),
        createdAt: dateTime,
      }),
    ),
  })
  .meta({ id: "WebhookDelivery" });

export const WebhookDeliveryListSchema = z
  .strictObject({ data: z.array(WebhookDeliverySchema), nextCursor: z.string().nullable() })
  .meta({ id: "WebhookDeliveryList" });

export const WebhookTestSchema = z
  .strictObject({
    deliveryId: z
      .string()
      .meta({ description: "The queued delivery (see /deliveries): the worker attempts it within seconds" }),
    eventId: z.string().meta({ description: "The webhook.test event: also the delivery's webhook-id header" }),
  })
  .meta({ id: "WebhookTest" });

export const CreateWebhookRequest = createWebhookSchema.meta({
  id: "CreateWebhookRequest",
  description: `An organization has at most ${MAX_WEBHOOKS_PER_ORGANIZATION} endpoints: one more is refused (400 invalid_request)`,
});
export const UpdateWebhookRequest = updateWebhookSchema.meta({ id: "UpdateWebhookRequest" });
export const ListDeliveriesQuery = listDeliveriesQuerySchema;

export const AuditEventListSchema = z
  .strictObject({
    data: z.array(AuditEventSchema),
    nextCursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null on the last" }),
  })
  .meta({ id: "AuditEventList" });

export const ListAuditQuery = listAuditQuerySchema;
// The CLI's browser sign-in (device authorization, RFC 8628 names).
export const CliDeviceRequest = deviceStartSchema;
export const CliTokenRequest = deviceTokenSchema;

export const CliDeviceSchema = z
  .strictObject({
    device_code: z.string().meta({ description: "The CLI's secret for polling /api/v1/cli/token; never shown" }),
    user_code: z.string().meta({ description: "What the user checks or types on the approval page, e.g. BCDF-GHJK" }),
    verification_uri: z.string().meta({ description: "The approval page, <origin>/cli/authorize" }),
    verification_uri_complete: z.string().meta({ description: "The approval page with the code filled in" }),
    expires_in: z.number().int().meta({ description: "Seconds both codes live (600)" }),
    interval: z.number().int().meta({ description: "Seconds to wait between polls (5)" }),
  })
  .meta({ id: "CliDevice" });

export const CliTokenSchema = z
  .strictObject({
    key: KeySchema,
    secret: z.string().meta({ description: "The new key's secret, answered to this one poll only" }),
    organization: z.strictObject({ id: z.string(), slug: z.string(), name: z.string() }),
  })
  .meta({ id: "CliToken" });
