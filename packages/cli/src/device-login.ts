// `keyhold login` through the browser (device authorization, RFC 8628): ask Keyhold for a code, show it and open the
// approval page, then poll until the user approves (a new key for this machine), denies, or the code expires.
import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { Keyhold, KeyholdError } from "@keyhold/sdk";
import { note, style } from "./output.js";

export type DeviceLoginResult = {
  secret: string;
  key: { id: string; name: string; prefix: string; scopes: string[] };
  organization: { id: string; slug: string; name: string };
};

// Each request's own deadline; the whole sign-in ends when the code expires.
const REQUEST_TIMEOUT_MS = 15_000;
const SLOW_DOWN_STEP_S = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Opens a URL in the default browser; any failure (no browser, no display) is ignored: the URL is printed anyway.
export function openBrowser(url: string): void {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", "", url]]
        : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // No browser: the user opens the printed URL.
  }
}

// The machine's name as the approval page shows it and the key is named (one line, at most 48 characters).
function machineName(): string {
  const name = hostname()
    .replace(/[^\x20-\x7e]/g, "")
    .trim();
  return (name || "unknown machine").slice(0, 48);
}

// Runs the browser sign-in against `endpoint`: prints the code and URL on stderr, opens the browser unless told not to,
// and resolves with the new key once approved. Throws access_denied, expired_token, or a network error that outlasted
// the code.
export async function deviceLogin(endpoint: string, opts: { openBrowser: boolean }): Promise<DeviceLoginResult> {
  const client = new Keyhold({ endpoint, env: {}, timeoutMs: REQUEST_TIMEOUT_MS, maxRetries: 0 });
  const start = await client.unwrap(client.raw.POST("/api/v1/cli/device", { body: { client_name: machineName() } }));
  const deadline = Date.now() + start.expires_in * 1000;
  note(`First copy your one-time code: ${style.bold(start.user_code)}`);
  note(`Then approve this machine at ${start.verification_uri}`);
  note(`  (or open ${start.verification_uri_complete})`);
  if (opts.openBrowser) openBrowser(start.verification_uri_complete);
  note("Waiting for approval in the browser…");

  let interval = start.interval;
  while (Date.now() < deadline) {
    await sleep(interval * 1000);
    try {
      return (await client.unwrap(
        client.raw.POST("/api/v1/cli/token", { body: { device_code: start.device_code } }),
      )) as DeviceLoginResult;
    } catch (err) {
      if (!(err instanceof KeyholdError)) throw err;
      if (err.code === "authorization_pending") continue;
      if (err.code === "slow_down") {
        interval += SLOW_DOWN_STEP_S;
        continue;
      }
      // A dropped connection or a slow answer: try again at the next interval, until the code expires.
      if (err.status === 0 || err.status >= 500) continue;
      throw err;
    }
  }
  throw new KeyholdError("expired_token", "The code expired before it was approved: run `keyhold login` again.", 400);
}

// `keyhold logout` of a key the browser sign-in issued: the key revokes itself. A key already revoked or unknown is
// gone either way.
export async function revokeOwnKey(endpoint: string, apiKey: string): Promise<"revoked" | "already"> {
  const client = new Keyhold({ endpoint, apiKey, env: {}, timeoutMs: REQUEST_TIMEOUT_MS });
  try {
    await client.unwrap(client.raw.POST("/api/v1/cli/logout", { headers: client.keyHeaders() }));
    return "revoked";
  } catch (err) {
    if (
      err instanceof KeyholdError &&
      (err.code === "revoked_key" || err.code === "invalid_key" || err.code === "expired_key")
    )
      return "already";
    throw err;
  }
}
