// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json; tests/integration/openapi.test.ts checks
// that every route answers with the statuses and shapes written here.
import { USAGE_OUTCOMES } from "../usage/outcomes";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, "null"], ...extra });
const jsonContent = (schema: unknown) => ({ "application/json": { schema } });
const errorResponse = (description: string) => ({ description, content: jsonContent(ref("Error")) });

const keyAuth = [{ bearerKey: [] }, { headerKey: [] }];
const clientIdHeader = {
  name: "X-Client-ID",
  in: "header",
  required: false,
  description: "When sent, must be the client ID of the key's account (403 client_id_mismatch otherwise).",
  schema: { type: "string" },
};
const idParam = { name: "id", in: "path", required: true, schema: { type: "string" } };

const integerHeader = (description: string) => ({ description, schema: { type: "integer" } });
// On every answer to a request that passed authentication and was counted against the key's rate limit.
const rateLimitHeaders = {
  "X-RateLimit-Limit": integerHeader("Requests per minute this key may make (its own limit, else its plan's)"),
  "X-RateLimit-Remaining": integerHeader("Requests left in the current window"),
  "X-RateLimit-Reset": integerHeader("Unix time (seconds) when the current window ends"),
};
const tooManyRequests = {
  description: "rate_limited: the key made more requests this minute than its limit allows",
  headers: { ...rateLimitHeaders, "Retry-After": integerHeader("Seconds until the window ends") },
  content: jsonContent(ref("Error")),
};

// Responses every key-authenticated route can give, plus its own (which carry the rate-limit headers).
function keyRoute(scope: string | null, summary: string, own: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}) {
  const counted = Object.fromEntries(Object.entries(own).map(([status, response]) => [status, { ...response, headers: rateLimitHeaders }]));
  return {
    summary,
    description: scope ? `Needs a key with the \`${scope}\` scope (admin implies write implies read).` : "Any valid key.",
    security: keyAuth,
    ...extra,
    parameters: [clientIdHeader, ...((extra.parameters as unknown[]) ?? [])],
    responses: {
      ...counted,
      "401": errorResponse("missing_key, invalid_key, expired_key or revoked_key"),
      "403": errorResponse("ip_not_allowed (the key's IP allowlist excludes the caller), insufficient_scope, client_id_mismatch or account_suspended"),
      "429": tooManyRequests,
    },
  };
}

const badRequest = { "400": errorResponse("invalid_request: malformed JSON or a field that fails validation (the message names it)") };
const notFound = { "404": errorResponse("not_found: no such key in this account (another account's keys are not found either)") };

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Keyhold API",
    version: "1.0.0",
    description: "Manage and verify API keys. Authenticate with an API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`.",
  },
  servers: [{ url: "/" }],
  components: {
    securitySchemes: {
      bearerKey: { type: "http", scheme: "bearer", description: "An API key (kh_live_… or kh_test_…)" },
      headerKey: { type: "apiKey", in: "header", name: "X-API-Key" },
      serviceToken: { type: "http", scheme: "bearer", description: "KEYHOLD_SERVICE_TOKEN" },
    },
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        additionalProperties: false,
        properties: {
          error: {
            type: "object",
            required: ["code", "message"],
            additionalProperties: false,
            properties: {
              code: {
                type: "string",
                enum: [
                  "invalid_request",
                  "missing_key",
                  "invalid_key",
                  "expired_key",
                  "revoked_key",
                  "insufficient_scope",
                  "ip_not_allowed",
                  "client_id_mismatch",
                  "account_suspended",
                  "not_found",
                  "rate_limited",
                  "internal_error",
                ],
              },
              message: { type: "string" },
            },
          },
        },
      },
      Scope: { type: "string", enum: ["read", "write", "admin"] },
      AllowlistEntry: {
        type: "object",
        additionalProperties: false,
        required: ["value"],
        properties: {
          value: { type: "string", description: "An IPv4/IPv6 address or CIDR range, stored normalised (10.0.0.1/24 → 10.0.0.0/24)" },
          note: { type: "string", maxLength: 200 },
        },
      },
      IpAllowlist: {
        type: "array",
        items: ref("AllowlistEntry"),
        maxItems: 100,
        description: "Empty: any address. Entries are validated, normalised and must be unique; errors name the entry (ipAllowlist.2.value)",
      },
      RateLimit: {
        type: ["integer", "null"],
        minimum: 1,
        maximum: 100000,
        description: "Requests per minute for this key; null: the account plan's default (free 60, pro 600, enterprise 6000)",
      },
      Key: {
        type: "object",
        additionalProperties: false,
        required: ["id", "name", "prefix", "environment", "scopes", "expiresAt", "ipAllowlist", "rateLimit", "createdAt", "lastUsedAt", "revokedAt"],
        properties: {
          id: { type: "string" },
          name: { type: "string", minLength: 1, maxLength: 64 },
          prefix: { type: "string", description: "The first 12 characters of the secret" },
          environment: { type: "string", enum: ["live", "test"] },
          scopes: { type: "array", items: ref("Scope"), minItems: 1 },
          expiresAt: nullable("string", { format: "date-time" }),
          ipAllowlist: ref("IpAllowlist"),
          rateLimit: ref("RateLimit"),
          createdAt: { type: "string", format: "date-time" },
          lastUsedAt: nullable("string", { format: "date-time" }),
          revokedAt: nullable("string", { format: "date-time" }),
        },
      },
      KeyWithSecret: {
        type: "object",
        additionalProperties: false,
        required: ["key", "secret"],
        properties: { key: ref("Key"), secret: { type: "string", description: "Shown this once; store it now" } },
      },
      KeyList: {
        type: "object",
        additionalProperties: false,
        required: ["data", "nextCursor"],
        properties: { data: { type: "array", items: ref("Key") }, nextCursor: nullable("string") },
      },
      Whoami: {
        type: "object",
        additionalProperties: false,
        required: ["key", "clientId"],
        properties: { key: ref("Key"), clientId: { type: "string" } },
      },
      CreateKeyRequest: {
        type: "object",
        additionalProperties: false,
        required: ["name", "environment", "scopes"],
        properties: {
          name: { type: "string", minLength: 1, maxLength: 64, description: "Unique among the account's active keys" },
          environment: { type: "string", enum: ["live", "test"] },
          scopes: { type: "array", items: ref("Scope"), minItems: 1 },
          expiresAt: nullable("string", { format: "date-time", description: "In the future; null or omitted: never" }),
          ipAllowlist: ref("IpAllowlist"),
          rateLimit: ref("RateLimit"),
        },
      },
      UpdateKeyRequest: {
        type: "object",
        additionalProperties: false,
        minProperties: 1,
        properties: {
          name: { type: "string", minLength: 1, maxLength: 64 },
          scopes: { type: "array", items: ref("Scope"), minItems: 1 },
          expiresAt: nullable("string", { format: "date-time" }),
          ipAllowlist: ref("IpAllowlist"),
          rateLimit: ref("RateLimit"),
        },
      },
      RotateKeyRequest: {
        type: "object",
        additionalProperties: false,
        properties: { gracePeriodSeconds: { type: "integer", minimum: 0, maximum: 604800, default: 0 } },
      },
      VerifyRequest: {
        type: "object",
        additionalProperties: false,
        required: ["key"],
        properties: {
          key: { type: "string" },
          scope: ref("Scope"),
          ip: { type: "string", description: "The caller's IPv4 or IPv6 address; without it a key with an IP allowlist is IP_NOT_ALLOWED" },
        },
      },
      VerifyResponse: {
        type: "object",
        additionalProperties: false,
        required: ["valid", "code", "keyId", "ownerId", "clientId", "scopes", "expiresAt", "ratelimit"],
        properties: {
          valid: { type: "boolean" },
          code: {
            type: "string",
            enum: ["VALID", "NOT_FOUND", "EXPIRED", "REVOKED", "IP_NOT_ALLOWED", "INSUFFICIENT_SCOPE", "RATE_LIMITED", "ACCOUNT_SUSPENDED"],
          },
          keyId: nullable("string"),
          ownerId: nullable("string"),
          clientId: nullable("string"),
          scopes: { type: "array", items: ref("Scope") },
          expiresAt: nullable("string", { format: "date-time" }),
          ratelimit: {
            type: ["object", "null"],
            additionalProperties: false,
            required: ["limit", "remaining", "reset"],
            description: "Set when the request was counted against the key's limit (VALID and RATE_LIMITED); null otherwise",
            properties: { limit: { type: "integer" }, remaining: { type: "integer" }, reset: { type: "integer", description: "Unix time (seconds) when the window ends" } },
          },
        },
      },
      OutcomeCounts: {
        type: "object",
        description: "Requests per outcome: valid, or the rejection's error code; outcomes with no requests are left out",
        additionalProperties: false,
        properties: Object.fromEntries(USAGE_OUTCOMES.map((o) => [o, { type: "integer", minimum: 1 }])),
      },
      Usage: {
        type: "object",
        additionalProperties: false,
        required: ["from", "to", "interval", "timeZone", "keyId", "data", "totals"],
        properties: {
          from: { type: "string", format: "date-time", description: "Start of the first bucket (the range widened to whole buckets)" },
          to: { type: "string", format: "date-time", description: "End of the last bucket" },
          interval: { type: "string", enum: ["minute", "hour", "day"] },
          timeZone: { type: "string", description: "IANA zone whose local days the day buckets are" },
          keyId: nullable("string"),
          data: {
            type: "array",
            description: "One bucket per interval, oldest first, zero-filled",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["start", "total", "outcomes", "avgLatencyMs"],
              properties: {
                start: { type: "string", format: "date-time" },
                total: { type: "integer" },
                outcomes: ref("OutcomeCounts"),
                avgLatencyMs: nullable("number"),
              },
            },
          },
          totals: {
            type: "object",
            additionalProperties: false,
            required: ["total", "outcomes", "successRate", "keys"],
            properties: {
              total: { type: "integer" },
              outcomes: ref("OutcomeCounts"),
              successRate: { ...nullable("number"), description: "valid / total; null without requests" },
              keys: {
                type: "array",
                description: "Per key, busiest first",
                items: {
                  type: "object",
                  additionalProperties: false,
                  required: ["keyId", "name", "prefix", "total", "outcomes"],
                  properties: { keyId: { type: "string" }, name: { type: "string" }, prefix: nullable("string"), total: { type: "integer" }, outcomes: ref("OutcomeCounts") },
                },
              },
            },
          },
        },
      },
      Ping: {
        type: "object",
        additionalProperties: false,
        required: ["status", "time", "ip"],
        properties: {
          status: { type: "string", const: "ok" },
          time: { type: "string", format: "date-time" },
          ip: { ...nullable("string"), description: "The caller's address as Keyhold sees it (TRUST_PROXY applies)" },
        },
      },
    },
  },
  paths: {
    "/api/v1/ping": {
      get: { summary: "API liveness and the caller's address; no authentication, no database work", responses: { "200": { description: "Up", content: jsonContent(ref("Ping")) } } },
    },
    "/api/v1/whoami": {
      get: keyRoute(null, "The calling key and its account's client ID", { "200": { description: "The key", content: jsonContent(ref("Whoami")) } }),
    },
    "/api/v1/keys": {
      get: keyRoute(
        "read",
        "The account's keys, newest first",
        { "200": { description: "One page", content: jsonContent(ref("KeyList")) }, ...badRequest },
        {
          parameters: [
            { name: "cursor", in: "query", required: false, schema: { type: "string" }, description: "nextCursor of the previous page" },
            { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
          ],
        },
      ),
      post: keyRoute(
        "admin",
        "Create a key; the secret is in this response only",
        { "201": { description: "Created", content: jsonContent(ref("KeyWithSecret")) }, ...badRequest },
        { requestBody: { required: true, content: jsonContent(ref("CreateKeyRequest")) } },
      ),
    },
    "/api/v1/keys/{id}": {
      get: keyRoute("read", "One key", { "200": { description: "The key", content: jsonContent(ref("Key")) }, ...notFound }, { parameters: [idParam] }),
      patch: keyRoute(
        "admin",
        "Rename a key or change its scopes, expiry, IP allowlist or rate limit",
        { "200": { description: "The updated key", content: jsonContent(ref("Key")) }, ...badRequest, ...notFound },
        { parameters: [idParam], requestBody: { required: true, content: jsonContent(ref("UpdateKeyRequest")) } },
      ),
    },
    "/api/v1/keys/{id}/rotate": {
      post: keyRoute(
        "admin",
        "Issue a new secret; the old one keeps working for gracePeriodSeconds (0: stops at once)",
        { "200": { description: "The key and its new secret", content: jsonContent(ref("KeyWithSecret")) }, ...badRequest, ...notFound },
        { parameters: [idParam], requestBody: { required: false, content: jsonContent(ref("RotateKeyRequest")) } },
      ),
    },
    "/api/v1/keys/{id}/revoke": {
      post: keyRoute(
        "admin",
        "Revoke a key now (idempotent)",
        { "200": { description: "The revoked key", content: jsonContent(ref("Key")) }, ...notFound },
        { parameters: [idParam] },
      ),
    },
    "/api/v1/usage": {
      get: keyRoute(
        "read",
        "The account's requests over time, by outcome, with totals (the numbers of the dashboard's charts)",
        {
          "200": { description: "The series and totals", content: jsonContent(ref("Usage")) },
          "400": errorResponse("invalid_request: a malformed or out-of-bounds parameter (the message names it)"),
          "404": errorResponse("not_found: keyId is not a key of this account"),
        },
        {
          parameters: [
            { name: "range", in: "query", required: false, schema: { type: "string", enum: ["24h", "7d", "30d", "custom"] }, description: "A preset ending now (default 24h); custom (or from/to alone) needs from and to" },
            { name: "from", in: "query", required: false, schema: { type: "string" }, description: "ISO 8601 date or date-time; without an offset, wall-clock time in tz" },
            { name: "to", in: "query", required: false, schema: { type: "string" }, description: "ISO 8601; after from, at most 400 days later (default now)" },
            { name: "interval", in: "query", required: false, schema: { type: "string", enum: ["minute", "hour", "day", "auto"] }, description: "Bucket size (default: minute up to 6 h, hour up to 14 days, day beyond); at most 1500 buckets" },
            { name: "keyId", in: "query", required: false, schema: { type: "string" }, description: "Only this key of the account" },
            { name: "tz", in: "query", required: false, schema: { type: "string" }, description: "IANA time zone for day buckets and dates without an offset (default UTC)" },
          ],
        },
      ),
    },
    "/api/v1/verify": {
      post: {
        summary: "For the platform's gateway: is this key good for this scope?",
        description: "Needs Authorization: Bearer $KEYHOLD_SERVICE_TOKEN. Answers 404 while KEYHOLD_SERVICE_TOKEN is unset.",
        security: [{ serviceToken: [] }],
        requestBody: { required: true, content: jsonContent(ref("VerifyRequest")) },
        responses: {
          "200": { description: "The verdict (valid or not)", content: jsonContent(ref("VerifyResponse")) },
          ...badRequest,
          "401": errorResponse("missing or wrong service token"),
          "404": errorResponse("the route is disabled"),
        },
      },
    },
    "/api/v1/openapi.json": {
      get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1", content: jsonContent({ type: "object" }) } } },
    },
  },
} as const;
