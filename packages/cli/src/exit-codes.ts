// The CLI's exit codes: 0 ok, 1 usage error, 2 authentication, 3 not found, 4 refused (scope, IP, rate limit…),
// 5 server or network.
import { KeyholdError } from "@keyhold/sdk";

export const EXIT = { ok: 0, usage: 1, auth: 2, notFound: 3, refused: 4, server: 5 } as const;

// A mistake in how the command was called (bad flag value, missing input): exit 1.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

// The exit code for whatever a command threw.
export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError) return EXIT.usage;
  if (!(err instanceof KeyholdError)) return EXIT.server;
  if (err.code === "no_credentials") return EXIT.auth;
  if (err.code === "invalid_endpoint") return EXIT.usage;
  if (err.status === 0) return EXIT.server;
  // The browser sign-in's endings: denied (or the key refused) and an expired code.
  if (err.code === "access_denied") return EXIT.refused;
  if (err.code === "expired_token") return EXIT.auth;
  if (err.status === 401) return EXIT.auth;
  if (err.status === 404) return EXIT.notFound;
  if (err.status === 403 || err.status === 429) return EXIT.refused;
  if (err.status >= 500) return EXIT.server;
  return EXIT.usage;
}

// The exit code for a verify verdict: 0 valid, 2 for a key that is unknown, expired or revoked, 4 for any other
// refusal, 5 when Keyhold could not answer.
export function exitCodeForVerdict(code: string): number {
  if (code === "VALID") return EXIT.ok;
  if (code === "NOT_FOUND" || code === "EXPIRED" || code === "REVOKED") return EXIT.auth;
  if (code === "SERVICE_UNAVAILABLE") return EXIT.server;
  return EXIT.refused;
}
