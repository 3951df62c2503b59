// JSON responses for /api/v1, and the one place where error codes become HTTP statuses.
import { KeyError, VERIFY_MESSAGES, type KeyErrorCode } from "../keys/errors";

export type ApiErrorCode = KeyErrorCode | "internal_error";

export const ERROR_STATUS: Record<ApiErrorCode, number> = {
  invalid_request: 400,
  missing_key: 401,
  invalid_key: 401,
  expired_key: 401,
  revoked_key: 401,
  insufficient_scope: 403,
  ip_not_allowed: 403,
  client_id_mismatch: 403,
  account_suspended: 403,
  not_found: 404,
  rate_limited: 429,
  internal_error: 500,
};

const NO_STORE = { "Cache-Control": "no-store" };

// A JSON response that no cache keeps.
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

// The error body of DESIGN.md with its status; 401s also say how to authenticate.
export function errorJson(code: ApiErrorCode, message = VERIFY_MESSAGES[code] ?? code): Response {
  const status = ERROR_STATUS[code];
  return json({ error: { code, message } }, status, status === 401 ? { "WWW-Authenticate": 'Bearer realm="keyhold"' } : {});
}

// Maps any thrown error to a response: KeyErrors by code (field errors name the field), anything else a bare 500.
export function errorResponse(err: unknown): Response {
  if (err instanceof KeyError) return errorJson(err.code, err.field ? `${err.field}: ${err.message}` : err.message);
  console.error("API handler failed:", err instanceof Error ? err.message : "unknown error");
  return errorJson("internal_error", "Something went wrong. Try again later.");
}
