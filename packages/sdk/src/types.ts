// Names for the generated OpenAPI types (src/schema.d.ts): request bodies, query parameters and answers.
import type { components, paths } from "./schema.js";

type Schemas = components["schemas"];

export type Key = Schemas["Key"];
export type KeyList = Schemas["KeyList"];
export type KeyWithSecret = Schemas["KeyWithSecret"];
export type CreateKeyRequest = Schemas["CreateKeyRequest"];
export type UpdateKeyRequest = Schemas["UpdateKeyRequest"];
export type Whoami = Schemas["Whoami"];
export type Organization = Schemas["Organization"];
export type MemberList = Schemas["MemberList"];
export type Member = Schemas["Member"];
export type PermissionList = Schemas["PermissionList"];
export type PermissionCatalogue = Schemas["PermissionCatalogue"];
export type Usage = Schemas["Usage"];
export type Ping = Schemas["Ping"];
export type Scope = Schemas["Scope"];
export type VerifyRequest = Schemas["VerifyRequest"];
export type VerifyResponse = Schemas["VerifyResponse"];
export type ErrorBody = Schemas["Error"];
export type Webhook = Schemas["Webhook"];
export type WebhookList = Schemas["WebhookList"];
export type WebhookWithSecret = Schemas["WebhookWithSecret"];
export type CreateWebhookRequest = Schemas["CreateWebhookRequest"];
export type UpdateWebhookRequest = Schemas["UpdateWebhookRequest"];
export type WebhookDelivery = Schemas["WebhookDelivery"];
export type WebhookDeliveryList = Schemas["WebhookDeliveryList"];
export type LeakReport = Schemas["LeakReport"];
export type LeakReportAccepted = Schemas["LeakReportAccepted"];
export type ListKeysQuery = NonNullable<paths["/api/v1/keys"]["get"]["parameters"]["query"]>;
export type WebhookDeliveriesQuery = NonNullable<
  paths["/api/v1/webhooks/{id}/deliveries"]["get"]["parameters"]["query"]
>;
export type UsageQuery = NonNullable<paths["/api/v1/usage"]["get"]["parameters"]["query"]>;
