// Typed key and API errors; lib/api/errors.ts maps each code to its HTTP status in one place.
export type KeyErrorCode =
  | "invalid_request"
  | "missing_key"
  | "invalid_key"
  | "expired_key"
  | "revoked_key"
  | "insufficient_scope"
  | "ip_not_allowed"
  | "client_id_mismatch"
  | "account_suspended"
  | "not_found"
  | "rate_limited";

export class KeyError extends Error {
  constructor(
    public code: KeyErrorCode,
    message: string,
    // The input field at fault, for invalid_request (forms show the message next to it).
    public field?: string,
  ) {
    super(message);
    this.name = "KeyError";
  }
}

// Default messages for the verification failures.
export const VERIFY_MESSAGES: Partial<Record<string, string>> = {
  missing_key: "Send an API key in the Authorization: Bearer or X-API-Key header.",
  invalid_key: "The API key is not valid.",
  expired_key: "The API key has expired.",
  revoked_key: "The API key has been revoked.",
  insufficient_scope: "The API key does not have the scope this request needs.",
  client_id_mismatch: "X-Client-ID does not match the API key's account.",
  account_suspended: "The account that owns this API key is suspended.",
  ip_not_allowed: "The API key's IP allowlist does not include this address.",
  rate_limited: "Too many requests for this API key: retry after the number of seconds in Retry-After.",
};
