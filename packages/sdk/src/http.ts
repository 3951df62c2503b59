// The transport under the client: a per-attempt timeout, and retries with exponential backoff on 429 and 5xx that
// honour Retry-After up to a cap; network failures and 5xx are retried only when the request is safe to repeat.
import { DeadlineError, fetchWithin } from "./deadline.js";
import { KeyholdError, parseRetryAfter } from "./errors.js";

export type RetryOptions = {
  // Attempts after the first (default 2).
  maxRetries: number;
  // Each attempt's deadline in milliseconds (default 10 000).
  timeoutMs: number;
  // The longest Retry-After the client waits for; a longer one is answered as the error at once (default 10 000).
  maxRetryAfterMs: number;
  // The first backoff step in milliseconds, doubled each retry, with jitter (default 250).
  backoffMs: number;
  fetch: typeof fetch;
};

export const DEFAULT_RETRY: Omit<RetryOptions, "fetch"> = {
  maxRetries: 2,
  timeoutMs: 10_000,
  maxRetryAfterMs: 10_000,
  backoffMs: 250,
};

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

// Requests that may be sent twice: idempotent methods, and revocation (revoking again answers the same).
function isRepeatable(request: Request): boolean {
  return IDEMPOTENT_METHODS.has(request.method) || /\/keys\/[^/]+\/revoke$/.test(new URL(request.url).pathname);
}

// Whether an answer is worth another attempt: 429 and 503 never did the work; other 5xx may have, so only repeatable
// requests try again.
function retryableStatus(status: number, repeatable: boolean): boolean {
  if (status === 429 || status === 503) return true;
  return status >= 500 && repeatable;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The wait before retry number `attempt` (0-based): Retry-After when the server gave one, else exponential backoff
// with full jitter. Null when the server asks for longer than the cap (the caller gets the error now).
function delayFor(attempt: number, response: Response | null, options: RetryOptions): number | null {
  const retryAfter = response ? parseRetryAfter(response.headers.get("retry-after")) : null;
  if (retryAfter !== null) {
    const ms = retryAfter * 1000;
    return ms > options.maxRetryAfterMs ? null : ms;
  }
  const ceiling = options.backoffMs * 2 ** attempt;
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

// One attempt with its own deadline over headers and body; a timeout or network failure becomes a KeyholdError
// (status 0).
async function attemptOnce(request: Request, options: RetryOptions): Promise<Response> {
  try {
    return await fetchWithin(options.fetch, request, {}, options.timeoutMs);
  } catch (err) {
    if (err instanceof DeadlineError)
      throw new KeyholdError("timeout", `Keyhold did not answer within ${options.timeoutMs} ms`, 0, null, {
        cause: err,
      });
    const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new KeyholdError(
      "network_error",
      `Cannot reach Keyhold at ${new URL(request.url).origin}: ${reason}`,
      0,
      null,
      {
        cause: err,
      },
    );
  }
}

// A fetch for openapi-fetch: sends the request, retrying as the options allow, and resolves to the last answer.
export function retryingFetch(options: RetryOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const repeatable = isRepeatable(request);
    for (let attempt = 0; ; attempt++) {
      let response: Response | null = null;
      try {
        response = await attemptOnce(request.clone(), options);
      } catch (err) {
        if (!repeatable || attempt >= options.maxRetries) throw err;
      }
      if (response && (!retryableStatus(response.status, repeatable) || attempt >= options.maxRetries)) return response;
      const delay = delayFor(attempt, response, options);
      if (delay === null && response) return response;
      if (response) await response.body?.cancel();
      await sleep(delay ?? 0);
    }
  };
}
