// JSON responses for /api/v1: the one mapper from an error (lib/api/errors.ts) to DESIGN.md's error body.
import { ApiError, DEFAULT_MESSAGES, ERROR_CODES, toApiError, type ErrorCode } from "./errors";

const NO_STORE = { "Cache-Control": "no-store" };

// A JSON response that no cache keeps.
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

// The error body of DESIGN.md with its status; 401s also say how to authenticate.
export function errorJson(code: ErrorCode, message = DEFAULT_MESSAGES[code]): Response {
  const status = ERROR_CODES[code];
  return json({ error: { code, message } }, status, status === 401 ? { "WWW-Authenticate": 'Bearer realm="keyhold"' } : {});
}

// Maps any thrown error to a response: ApiErrors by code (field errors name the field), an unreachable database as a
// JSON 503, anything else a 500 naming only a reference that the server log holds.
export function errorResponse(err: unknown): Response {
  const apiError: ApiError = toApiError(err, "API handler");
  return errorJson(apiError.code, apiError.field ? `${apiError.field}: ${apiError.message}` : apiError.message);
}
