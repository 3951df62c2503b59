// THE error table: every error code Keyhold answers, with its HTTP status. Statuses, the OpenAPI enum, the gateway's
// verdicts, the usage outcomes, API responses and server-action results all derive from it. No Node-only imports:
// client components import it too.

export const ERROR_CODES = {
  invalid_request: 400,
  // The device authorization grant's answers to `keyhold login`'s polls (RFC 8628 names, all 400 as it says).
  authorization_pending: 400,
  slow_down: 400,
  expired_token: 400,
  access_denied: 400,
  unauthenticated: 401,
  missing_key: 401,
  invalid_key: 401,
  expired_key: 401,
  revoked_key: 401,
  forbidden: 403,
  mfa_required: 403,
  step_up_required: 403,
  insufficient_scope: 403,
  insufficient_permissions: 403,
  ip_not_allowed: 403,
  client_id_mismatch: 403,
  account_suspended: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  locked: 429,
  rate_limited: 429,
  usage_exceeded: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

// Every code, in table order (the OpenAPI enum).
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

// The codes a key verification can fail with, in the order usage charts list them.
export const VERIFICATION_FAILURES = [
  "invalid_key",
  "expired_key",
  "revoked_key",
  "insufficient_scope",
  "insufficient_permissions",
  "ip_not_allowed",
  "client_id_mismatch",
  "account_suspended",
  "rate_limited",
  "usage_exceeded",
] as const satisfies readonly ErrorCode[];

export type VerificationFailure = (typeof VERIFICATION_FAILURES)[number] | "missing_key";

// The gateway's upper-case verdict for a verification failure: unknown keys (and a wrong client ID) are NOT_FOUND.
export function gatewayVerdict(code: VerificationFailure) {
  switch (code) {
    case "missing_key":
    case "invalid_key":
    case "client_id_mismatch":
      return "NOT_FOUND" as const;
    case "expired_key":
      return "EXPIRED" as const;
    case "revoked_key":
      return "REVOKED" as const;
    default:
      return code.toUpperCase() as Uppercase<
        Exclude<
          VerificationFailure,
          "missing_key" | "invalid_key" | "client_id_mismatch" | "expired_key" | "revoked_key"
        >
      >;
  }
}

export type GatewayVerdict = "VALID" | ReturnType<typeof gatewayVerdict>;

// Each verdict the gateway can answer (the OpenAPI enum of verify's `code`).
export const GATEWAY_VERDICTS: readonly GatewayVerdict[] = [
  "VALID",
  ...new Set(VERIFICATION_FAILURES.map(gatewayVerdict)),
];

// What a code means to the caller, when the thrower gave no message of its own.
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  invalid_request: "The request is not valid.",
  authorization_pending: "The sign-in has not been approved yet: poll again after the interval.",
  slow_down: "Polling too fast: wait the interval (now 5 seconds longer) between polls.",
  expired_token: "This device code has expired or was already used: run `keyhold login` again.",
  access_denied: "The sign-in was denied in the browser.",
  unauthenticated: "Your session has ended. Sign in again.",
  missing_key: "Send an API key in the Authorization: Bearer or X-API-Key header.",
  invalid_key: "The API key is not valid.",
  expired_key: "The API key has expired.",
  revoked_key: "The API key has been revoked.",
  forbidden: "You are not allowed to do this.",
  mfa_required: "This action requires two-factor authentication. Enable it in Security settings first.",
  step_up_required: "Enter a code from your authenticator app to continue.",
  insufficient_scope: "The API key does not have the scope this request needs.",
  insufficient_permissions: "The API key does not hold every permission this request needs.",
  ip_not_allowed: "The API key's IP allowlist does not include this address.",
  client_id_mismatch: "X-Client-ID does not match the API key's account.",
  account_suspended: "The account that owns this API key is suspended.",
  not_found: "Not found.",
  conflict: "This conflicts with the current state. Reload and try again.",
  payload_too_large: "The request body is too large.",
  locked: "Too many attempts. Try again later.",
  rate_limited: "Too many requests for this API key: retry after the number of seconds in Retry-After.",
  usage_exceeded: "The API key has no credits left for this request.",
  internal_error: "Something went wrong. Try again later.",
  service_unavailable: "The service is temporarily unavailable: the database cannot be reached. Try again shortly.",
};

// The one error type handlers, services and actions throw. `field` names the input at fault (forms show the message
// next to it; the API prefixes the message with it); `reason` is a finer-grained cause for the caller's logic and tests.
export class ApiError extends Error {
  constructor(
    public code: ErrorCode,
    message: string = DEFAULT_MESSAGES[code],
    public field?: string,
    public reason?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

// Whether an error says the database cannot be reached (connection refused, reset, timed out, or too many clients).
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, kind, message } = e as { code?: unknown; kind?: unknown; message?: unknown };
    if (
      typeof code === "string" &&
      /^(P1001|P1002|P1017|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|57P01|57P03|53300)$/.test(code)
    )
      return true;
    if (
      kind === "DatabaseNotReachable" ||
      kind === "ConnectionClosed" ||
      kind === "SocketTimeout" ||
      kind === "TooManyConnections"
    )
      return true;
    if (
      typeof message === "string" &&
      /Can't reach database server|Connection terminated|connect ECONNREFUSED/.test(message)
    )
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

// An ApiError for any thrown value: ApiErrors as they are, an unreachable database as service_unavailable, anything else
// logged here with a reference (the detail stays in the server log) and answered as internal_error naming that reference.
export function toApiError(err: unknown, where = "request"): ApiError {
  if (err instanceof ApiError) return err;
  if (isDatabaseUnavailable(err)) {
    console.error(`${where}: database unreachable:`, err instanceof Error ? err.message : String(err));
    return new ApiError("service_unavailable");
  }
  const ref = crypto.randomUUID().slice(0, 8);
  console.error(`${where} failed [ref ${ref}]:`, err instanceof Error ? (err.stack ?? err.message) : String(err));
  return new ApiError("internal_error", `Something went wrong (reference ${ref}). Try again later.`);
}
