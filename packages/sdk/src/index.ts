// @keyhold/sdk: the typed REST client, the gateway's verifier and the generated API types. The middleware are in
// @keyhold/sdk/hono, /express and /next; the CLI's credentials file in @keyhold/sdk/credentials.
export { AuditApi, Keyhold, KeysApi, MembersApi, PermissionsApi, WebhooksApi, type KeyholdOptions } from "./client.js";
export { KeyholdError, type ClientErrorCode, type ErrorCode, type KeyholdErrorCode } from "./errors.js";
export {
  createVerifier,
  type Unavailable,
  type Verification,
  type Verifier,
  type VerifierOptions,
  type VerifyOptions,
} from "./verifier.js";
export {
  signWebhook,
  verifyWebhook,
  type WebhookEvent,
  type WebhookEventOf,
  type WebhookEventType,
  type WebhookHeaders,
} from "./webhooks.js";
export type * from "./types.js";
export type { components, paths, webhooks } from "./schema.js";
