// JSON responses for /api/v1: the one mapper from an error (lib/errors.ts) to the error body every route answers.
import { API_SECURITY_HEADERS } from "../server/security-headers";
import { ApiError, DEFAULT_MESSAGES, ERROR_CODES, toApiError, type ErrorCode } from "../errors";

type Parts = { text: string; status: number; headers: Record<string, string> };

// What json() built each response from, so headers can be added by building the response again: a response built
// with a plain header object is written by @hono/node-server without ever creating a Headers object. Kept on the
// response itself: a WeakMap entry per answer cost more (set, and the collector's weak-table work) than the answer.
const PARTS = Symbol("keyhold.responseParts");
type WithParts = Response & { [PARTS]?: Parts };

// The class answers are built with: the global Response, or @hono/node-server's lighter one when the app is served
// beside Next.js (lib/api/node-handler.ts), where the global must stay the WHATWG class.
let ResponseClass: typeof Response = globalThis.Response;
export function setResponseClass(cls: typeof Response): void {
  ResponseClass = cls;
}

function build(p: Parts): Response {
  const response = new ResponseClass(p.text, { status: p.status, headers: p.headers }) as WithParts;
  response[PARTS] = p;
  return response;
}

// A body already serialised, for answers that repeat (json() sends its text as it is). `T`: what was serialised, so a
// route's reply can check it against the route's response schema.
export class JsonText<T = unknown> {
  declare readonly serialised?: T;
  constructor(readonly text: string) {}

  // The text of `value`, keeping its type.
  static of<T>(value: T): JsonText<T> {
    return new JsonText<T>(JSON.stringify(value));
  }
}

// Shared by every answer without headers of its own (frozen: nothing downstream writes into it, and must not).
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...API_SECURITY_HEADERS,
  "content-type": "application/json",
  "cache-control": "no-store",
});

// The API's answers that are not JSON (no content, HTML, assets, metrics): their own headers plus the security headers.
export function apiHeaders(headers: Record<string, string>): Record<string, string> {
  return { ...API_SECURITY_HEADERS, ...headers };
}

// An answer without a body (forward authentication's pass), with the security headers and Content-Length: 0: a proxy
// that reads only the headers (nginx's auth_request) keeps its connection to Keyhold only when it knows the body is
// empty, and an empty body sent chunked would make it open a new connection for every request.
export function emptyAnswer(status: number, headers: Record<string, string>): Response {
  return build({ text: "", status, headers: apiHeaders(headers) });
}

// A JSON response that no cache keeps, with the security headers.
export function json(body: unknown, status = 200, headers?: Record<string, string>): Response {
  const text = body instanceof JsonText ? body.text : JSON.stringify(body);
  return build({
    text,
    status,
    headers: headers ? { ...JSON_HEADERS, ...headers } : (JSON_HEADERS as Record<string, string>),
  });
}

// The response with headers added: rebuilt when json() made it, else set in place (or on a copy when its headers are
// immutable, as Response.redirect's are).
export function withHeaders(response: Response, headers: Record<string, string>): Response {
  const p = (response as WithParts)[PARTS];
  if (p) return build({ ...p, headers: { ...p.headers, ...headers } });
  let target = response;
  try {
    for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
  } catch {
    target = new Response(response.body, response);
    for (const [name, value] of Object.entries(headers)) target.headers.set(name, value);
  }
  return target;
}

// The error body with its status and the headers its status calls for.
export function errorJson(
  code: ErrorCode,
  message = DEFAULT_MESSAGES[code],
  headers?: Record<string, string>,
  reason?: string,
): Response {
  const status = ERROR_CODES[code];
  return json(
    { error: reason ? { code, message, reason } : { code, message } },
    status,
    ERROR_HEADERS[status] ? { ...headers, ...ERROR_HEADERS[status] } : headers,
  );
}

// Headers some errors add: 401s say how to authenticate; a 413 closes the connection, since the rest of the body it
// refused was never read (the next request on that connection could not be told apart from it).
const ERROR_HEADERS: Record<number, Record<string, string>> = {
  401: { "www-authenticate": 'Bearer realm="keyhold"' },
  413: { connection: "close" },
};

// Maps any thrown error to a response: ApiErrors by code (field errors name the field), an unreachable database as a
// JSON 503, anything else a 500 naming only a reference that the server log holds. `headers`: the rate-limit headers
// of a counted request.
export function errorResponse(err: unknown, headers?: Record<string, string>): Response {
  const apiError: ApiError = toApiError(err, "API handler");
  return errorJson(
    apiError.code,
    apiError.field ? `${apiError.field}: ${apiError.message}` : apiError.message,
    headers,
    apiError.reason,
  );
}
