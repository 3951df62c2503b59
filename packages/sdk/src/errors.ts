// KeyholdError: what every failed call throws, carrying Keyhold's error code, the HTTP status and Retry-After; and the
// readings of an answer that every caller shares (its JSON body, the error it describes, the base URL it came from).
import type { KeyholdErrorCode as TableErrorCode } from "./error-table.js";

/** Keyhold's API error codes (the `error.code` of its answers), each with one HTTP status. */
export type KeyholdErrorCode = TableErrorCode;

/**
 * Codes the client itself raises: `no_credentials` (no key, endpoint or service token configured), `invalid_endpoint`
 * (no http(s) URL), `network_error` (no connection), `timeout` (no answer in time), `unexpected_response` (an answer
 * that is not Keyhold's JSON, such as an HTML page: usually a wrong endpoint setting), `invalid_signature` (a webhook
 * delivery that `webhooks.verify` refused).
 */
export type ClientErrorCode =
  "no_credentials" | "invalid_endpoint" | "network_error" | "timeout" | "unexpected_response" | "invalid_signature";

/** Every code a {@link KeyholdError} carries: Keyhold's API codes and the client's own. */
export type ErrorCode = KeyholdErrorCode | ClientErrorCode;

/** A Keyhold API error (status and code from its body) or a client-side failure (status 0). */
export class KeyholdError extends Error {
  /** Keyhold's error code (`rate_limited`, `not_found`, …) or the client's (`network_error`, `timeout`, …). */
  readonly code: ErrorCode;
  /** The HTTP status of the answer; 0 when none came. */
  readonly status: number;
  /** Seconds the server asked to wait (`Retry-After` of a 429), when it said. The client never waits by itself. */
  readonly retryAfter: number | null;

  /** An error with Keyhold's (or the client's) code, the answer's status (0: none) and its Retry-After seconds. */
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

// Keyhold's base URL from a setting: no trailing slash, and no `/api/v1` (the client adds the paths). Throws
// invalid_endpoint for anything but an http(s) URL.
export function baseEndpoint(url: string, setting: string): string {
  const trimmed = url.trim().replace(/\/+$/, "");
  const base = trimmed.replace(/\/api\/v1$/i, "").replace(/\/+$/, "");
  if (!/^https?:$/.test(URL.canParse(base) ? new URL(base).protocol : ""))
    throw new KeyholdError(
      "invalid_endpoint",
      `${setting} must be an http(s) URL such as https://keys.example.com: ${url}`,
    );
  return base;
}

// What to check when an answer is not Keyhold's.
export function endpointHint(url: string): string {
  let base = url;
  if (URL.canParse(url)) {
    const parsed = new URL(url);
    const api = parsed.pathname.indexOf("/api/v1/");
    base = parsed.origin + (api >= 0 ? parsed.pathname.slice(0, api) : parsed.pathname);
  }
  return (
    `Check the endpoint setting (endpoint / KEYHOLD_ENDPOINT, or the profile's endpoint): it must be Keyhold's base ` +
    `URL, such as https://keys.example.com, without /dashboard or /api/v1 (it is ${base}).`
  );
}

// The JSON body of an answer: null when it has none, undefined when it is not JSON (an HTML page, plain text).
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text.trim()) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

// The KeyholdError for an answer that is not a success: code and message from Keyhold's body
// `{error: {code, message}}`, else unexpected_response with a hint about the endpoint setting.
export function errorFromResponse(response: Response, body: unknown, url: string = response.url): KeyholdError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  if (error && typeof error.code === "string" && typeof error.message === "string")
    return new KeyholdError(error.code as ErrorCode, error.message, response.status, retryAfter);
  return unexpectedResponse(response, body, url);
}

// unexpected_response for an answer that is not Keyhold's JSON (or not the JSON this call answers).
export function unexpectedResponse(response: Response, body: unknown, url: string = response.url): KeyholdError {
  const type = response.headers.get("content-type")?.split(";")[0].trim() || "no content type";
  const what = body === undefined ? `a ${type} answer that is not JSON` : "JSON that is not Keyhold's";
  return new KeyholdError(
    "unexpected_response",
    `Keyhold answered HTTP ${response.status} with ${what}. ${endpointHint(url)}`,
    response.status,
    parseRetryAfter(response.headers.get("retry-after")),
  );
}
