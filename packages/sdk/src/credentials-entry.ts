// @keyhold/sdk/credentials: the credentials file the keyhold CLI writes (named profiles, mode 0600) and the settings'
// precedence (arguments, then KEYHOLD_* variables, then the profile).
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
