// KeyholdError: what every failed call throws, carrying Keyhold's error code, the HTTP status and Retry-After.
import type { KeyholdErrorCode } from "./error-table.js";

// Codes the client itself raises when no answer came: no credentials configured, an endpoint that is no http(s) URL,
// the network failed, it timed out, or the answer was not Keyhold's.
export type ClientErrorCode =
  "no_credentials" | "invalid_endpoint" | "network_error" | "timeout" | "unexpected_response";

export type ErrorCode = KeyholdErrorCode | ClientErrorCode;

// A Keyhold API error (status and code from the body) or a client-side failure (status 0).
export class KeyholdError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  // Seconds the server asked to wait (429 Retry-After), when it said.
  readonly retryAfter: number | null;

  constructor(code: ErrorCode, message: string, status = 0, retryAfter: number | null = null, options?: ErrorOptions) {
    super(message, options);
    this.name = "KeyholdError";
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); null when absent or unreadable.
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

// The KeyholdError for an error response: code and message from Keyhold's body `{error: {code, message}}`.
export function errorFromResponse(response: Response, body: unknown): KeyholdError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  if (error && typeof error.code === "string" && typeof error.message === "string")
    return new KeyholdError(error.code as ErrorCode, error.message, response.status, retryAfter);
  return new KeyholdError(
    "unexpected_response",
    `Unexpected answer from Keyhold: HTTP ${response.status}`,
    response.status,
    retryAfter,
  );
}
