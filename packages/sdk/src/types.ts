// Names for the generated OpenAPI types (src/schema.d.ts): request bodies, query parameters and answers.
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];

export type Key = Schemas["Key"];
export type KeyList = Schemas["KeyList"];
export type KeyWithSecret = Schemas["KeyWithSecret"];
export type Whoami = Schemas["Whoami"];
export type Organization = Schemas["Organization"];
export type MemberList = Schemas["MemberList"];
export type Member = Schemas["Member"];
export type PermissionList = Schemas["PermissionList"];
export type PermissionCatalogue = Schemas["PermissionCatalogue"];
export type Usage = Schemas["Usage"];
export type Ping = Schemas["Ping"];
/** A scope of Keyhold's own management API. */
export type Scope = Schemas["Scope"];
/** The body of `POST /api/v1/keys` (`keys.create`). */
export type CreateKeyRequest = Omit<Schemas["CreateKeyRequest"], "scopes"> & {
  /** At least one of `read`, `write`, `admin`. */
  scopes: Scope[];
};
/** The body of `PATCH /api/v1/keys/{id}` (`keys.update`): the fields to change. */
export type UpdateKeyRequest = Omit<Schemas["UpdateKeyRequest"], "scopes"> & {
  /** At least one of `read`, `write`, `admin`. */
  scopes?: Scope[];
};
type VerifyAnswer = Schemas["VerifyResponse"];
/** A verdict that lets the key through: `valid: true`, code `VALID`, the key and its organization known. */
export type VerifyValid = Omit<VerifyAnswer, "valid" | "code" | "keyId" | "organizationId"> & {
  valid: true;
  code: "VALID";
  keyId: string;
  organizationId: string;
};
/** A refusal: `valid: false` and why (`NOT_FOUND`, `REVOKED`, `RATE_LIMITED`, …). */
export type VerifyRefusal = Omit<VerifyAnswer, "valid" | "code"> & {
  valid: false;
  code: Exclude<VerifyAnswer["code"], "VALID">;
};
/** The answer of `POST /api/v1/verify`, narrowed by `valid` (or `code`). */
export type VerifyResponse = VerifyValid | VerifyRefusal;
export type VerifyRequest = Schemas["VerifyRequest"];
export type ErrorBody = Schemas["Error"];
export type Webhook = Schemas["Webhook"];
export type WebhookList = Schemas["WebhookList"];
export type WebhookWithSecret = Schemas["WebhookWithSecret"];
export type CreateWebhookRequest = Schemas["CreateWebhookRequest"];
export type UpdateWebhookRequest = Schemas["UpdateWebhookRequest"];
export type WebhookDelivery = Schemas["WebhookDelivery"];
export type WebhookDeliveryList = Schemas["WebhookDeliveryList"];
/** The answer of `POST /api/v1/webhooks/{id}/test` (`webhooks.test`): the queued delivery and its event. */
export type WebhookTest = Schemas["WebhookTest"];
export type LeakReport = Schemas["LeakReport"];
export type LeakReportAccepted = Schemas["LeakReportAccepted"];
export type ListKeysQuery = NonNullable<paths["/api/v1/keys"]["get"]["parameters"]["query"]>;
export type WebhookDeliveriesQuery = NonNullable<
  paths["/api/v1/webhooks/{id}/deliveries"]["get"]["parameters"]["query"]
>;
export type UsageQuery = NonNullable<paths["/api/v1/usage"]["get"]["parameters"]["query"]>;
export type AuditEvent = Schemas["AuditEvent"];
/** A key request, as the key_request.* events carry it. */
export type KeyRequest = Schemas["KeyRequest"];
/** What a key.updated event says changed. */
export type KeyChanges = Schemas["KeyChanges"];
export type AuditEventList = Schemas["AuditEventList"];
export type AuditQuery = NonNullable<paths["/api/v1/audit"]["get"]["parameters"]["query"]>;
