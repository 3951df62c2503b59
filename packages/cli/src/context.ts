// What every command shares: the global flags, the client they configure, and how results and failures are printed.
import { Keyhold, KeyholdError } from "@keyhold/sdk";
import { credentialsPath, readProfile, readProfiles } from "@keyhold/sdk/credentials";
import { exitCodeFor } from "./exit-codes.js";
import { note, printJson, style } from "./output.js";

// The flags every command takes.
export type Globals = { endpoint?: string; apiKey?: string; clientId?: string; profile?: string; json?: boolean };

// A client configured by flags, then KEYHOLD_* variables, then the credentials file's profile. A profile named by
// --profile or KEYHOLD_PROFILE that the file lacks is an error naming it, when a setting would come from it.
export function clientFor(g: Globals, extra: { serviceToken?: string } = {}): Keyhold {
  const named = g.profile || process.env.KEYHOLD_PROFILE;
  const needsFile = !(g.apiKey || process.env.KEYHOLD_API_KEY) || !(g.endpoint || process.env.KEYHOLD_ENDPOINT);
  if (named && needsFile && !readProfile(named)) {
    const saved = Object.keys(readProfiles());
    throw new KeyholdError(
      "no_credentials",
      `no profile "${named}" in ${credentialsPath()} (${saved.length ? `saved: ${saved.join(", ")}` : "no profiles saved"}): ` +
        `run \`keyhold login --profile ${named}\``,
    );
  }
  return new Keyhold({
    endpoint: g.endpoint,
    apiKey: g.apiKey,
    clientId: g.clientId,
    profile: g.profile,
    serviceToken: extra.serviceToken,
  });
}

// Prints a failure (JSON on stderr with --json, a line otherwise) and sets the exit code for its class.
export function report(err: unknown, g: Globals) {
  const code =
    err instanceof KeyholdError ? err.code : err instanceof Error && err.name === "UsageError" ? "usage" : "error";
  const message = err instanceof Error ? err.message : String(err);
  if (g.json) {
    const status = err instanceof KeyholdError ? err.status : undefined;
    const retryAfter = err instanceof KeyholdError ? err.retryAfter : null;
    process.stderr.write(
      JSON.stringify({
        error: { code, message, ...(status ? { status } : {}), ...(retryAfter !== null ? { retryAfter } : {}) },
      }) + "\n",
    );
  } else {
    const retry = err instanceof KeyholdError && err.retryAfter !== null ? ` (retry after ${err.retryAfter} s)` : "";
    note(
      `${style.errRed("error")}: ${code === "usage" || code === "error" || code === "no_credentials" ? "" : `${code}: `}${message}${retry}`,
    );
  }
  process.exitCode = exitCodeFor(err);
}

// Runs a command body: its result as JSON with --json, else the human rendering; failures through report().
export function action<A extends unknown[]>(
  body: (g: Globals, ...args: A) => Promise<{ json: unknown; human: () => void; exitCode?: number }>,
) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as { optsWithGlobals(): Globals };
    const g = command.optsWithGlobals();
    try {
      const result = await body(g, ...(args.slice(0, -1) as A));
      if (g.json) printJson(result.json);
      else result.human();
      if (result.exitCode) process.exitCode = result.exitCode;
    } catch (err) {
      report(err, g);
    }
  };
}
