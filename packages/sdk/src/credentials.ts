// The credentials file ($XDG_CONFIG_HOME/keyhold/credentials.json, else ~/.config/keyhold/credentials.json): named
// profiles of {endpoint, apiKey, clientId}, written with mode 0600, and the configuration precedence built on it.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { KeyholdError } from "./errors.js";

/**
 * What a profile holds: where to call and with which key; `issuedBy: "browser"` and `keyId` mark a key that
 * `keyhold login` received from the browser sign-in (so `keyhold logout` revokes it).
 */
export type Profile = { endpoint: string; apiKey: string; clientId?: string; issuedBy?: "browser"; keyId?: string };

type CredentialsFile = { profiles: Record<string, Profile> };

export type Env = Record<string, string | undefined>;

/** The profile used when none is named (`--profile`, KEYHOLD_PROFILE). */
export const DEFAULT_PROFILE = "default";

/** Where the credentials file lives for this environment. */
export function credentialsPath(env: Env = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || homedir(), ".config");
  return path.join(base, "keyhold", "credentials.json");
}

function readFile(file: string): CredentialsFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { profiles: {} };
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CredentialsFile>;
    return { profiles: parsed.profiles && typeof parsed.profiles === "object" ? parsed.profiles : {} };
  } catch {
    throw new KeyholdError("no_credentials", `${file} is not valid JSON: fix it or run \`keyhold logout\``);
  }
}

/** Every saved profile by name (none when the file does not exist). */
export function readProfiles(env: Env = process.env): Record<string, Profile> {
  return readFile(credentialsPath(env)).profiles;
}

/** One saved profile, or null. */
export function readProfile(name: string = DEFAULT_PROFILE, env: Env = process.env): Profile | null {
  const profile = readProfiles(env)[name];
  return profile && typeof profile.apiKey === "string" && typeof profile.endpoint === "string" ? profile : null;
}

// Replaces the file atomically: written to a 0600 temporary file in the same 0700 folder, then renamed over it.
function writeFile(file: string, content: CredentialsFile) {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.credentials.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, JSON.stringify(content, null, 2) + "\n", { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** Saves a profile (endpoint, key, client ID and the browser sign-in's marker only), keeping the others; the file is mode 0600. Returns its path. */
export function saveProfile(name: string, profile: Profile, env: Env = process.env): string {
  const file = credentialsPath(env);
  const content = readFile(file);
  const saved: Profile = { endpoint: profile.endpoint, apiKey: profile.apiKey };
  if (profile.clientId) saved.clientId = profile.clientId;
  if (profile.issuedBy === "browser" && profile.keyId)
    Object.assign(saved, { issuedBy: "browser", keyId: profile.keyId });
  content.profiles[name] = saved;
  writeFile(file, content);
  return file;
}

/** Removes a profile; the file goes when no profile is left. False when there was no such profile. */
export function removeProfile(name: string, env: Env = process.env): boolean {
  const file = credentialsPath(env);
  const content = readFile(file);
  if (!(name in content.profiles)) return false;
  delete content.profiles[name];
  if (Object.keys(content.profiles).length === 0) rmSync(file, { force: true });
  else writeFile(file, content);
  return true;
}

// The base URL as the client uses it: no trailing slash and no `/api/v1` (the client adds the paths).
function withoutApiPath(endpoint: string): string {
  return endpoint
    .trim()
    .replace(/\/+$/, "")
    .replace(/\/api\/v1$/i, "")
    .replace(/\/+$/, "");
}

/** Settings given as arguments; what is missing comes from KEYHOLD_* variables, then the credentials file. */
export type ConfigInput = { apiKey?: string; clientId?: string; endpoint?: string; profile?: string };

/** The settings in use, and where each came from. */
export type ResolvedConfig = {
  apiKey: string | null;
  clientId: string | null;
  endpoint: string | null;
  /** The profile whose values filled the gaps, when one did. */
  profile: string;
  /** Where each value came from, for `keyhold whoami` and error messages. */
  sources: { apiKey?: Source; clientId?: Source; endpoint?: Source };
};

/** Where a setting came from. */
export type Source = "argument" | "environment" | "credentials file";

/**
 * Each setting from the arguments, else KEYHOLD_API_KEY / KEYHOLD_CLIENT_ID / KEYHOLD_ENDPOINT, else the profile
 * (`profile`, else KEYHOLD_PROFILE, else "default") of the credentials file. The file is read only when needed.
 */
export function resolveConfig(input: ConfigInput = {}, env: Env = process.env): ResolvedConfig {
  const profileName = input.profile || env.KEYHOLD_PROFILE || DEFAULT_PROFILE;
  let profile: Profile | null | undefined;
  const fromFile = () => (profile === undefined ? (profile = readProfile(profileName, env)) : profile);
  const sources: ResolvedConfig["sources"] = {};
  const pick = (field: keyof ResolvedConfig["sources"], arg: string | undefined, envName: string) => {
    if (arg) return ((sources[field] = "argument"), arg);
    const fromEnv = env[envName];
    if (fromEnv) return ((sources[field] = "environment"), fromEnv);
    const saved = fromFile()?.[field];
    if (saved) return ((sources[field] = "credentials file"), saved);
    return null;
  };
  const apiKey = pick("apiKey", input.apiKey, "KEYHOLD_API_KEY");
  const endpoint = pick("endpoint", input.endpoint, "KEYHOLD_ENDPOINT");
  // A client ID saved with another key would be refused (client_id_mismatch): take the file's only with its key.
  const clientId =
    input.clientId || env.KEYHOLD_CLIENT_ID
      ? pick("clientId", input.clientId, "KEYHOLD_CLIENT_ID")
      : sources.apiKey === "credentials file"
        ? pick("clientId", undefined, "KEYHOLD_CLIENT_ID")
        : null;
  return { apiKey, clientId, endpoint: endpoint ? withoutApiPath(endpoint) : null, profile: profileName, sources };
}
