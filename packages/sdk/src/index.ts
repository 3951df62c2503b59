// @keyhold/sdk: the typed REST client, the gateway's verifier, the credentials file and the generated API types.
export { Keyhold, KeysApi, MembersApi, PermissionsApi, WebhooksApi, type KeyholdOptions } from "./client.js";
export { KeyholdError, type ClientErrorCode, type ErrorCode } from "./errors.js";
export { ERROR_STATUS, type KeyholdErrorCode } from "./error-table.js";
export {
  createVerifier,
  MAX_CACHE_TTL_MS,
  type Verification,
  type Verifier,
  type VerifierOptions,
  type VerifyOptions,
} from "./verifier.js";
export { bearerKey, refusalAnswer, type ErrorAnswer } from "./gateway.js";
export {
  credentialsPath,
  DEFAULT_PROFILE,
  readProfile,
  readProfiles,
  removeProfile,
  resolveConfig,
  saveProfile,
  type ConfigInput,
  type Profile,
  type ResolvedConfig,
  type Source,
} from "./credentials.js";
export type * from "./types.js";
export type { components, paths } from "./schema.js";
