// The transport under the client: a per-attempt timeout, and for calls that are safe to repeat at most `maxRetries`
// more attempts with exponential backoff after a network failure, a timeout or a 5xx. A 429 is never waited for: it
// becomes the error at once, with its Retry-After. An answer that is not JSON becomes unexpected_response.
import { DeadlineError, fetchWithin } from "./deadline.js";
import { KeyholdError, unexpectedResponse } from "./errors.js";

export type RetryOptions = {
  // Attempts after the first, for repeatable calls (default 2).
  maxRetries: number;
  // Each attempt's deadline in milliseconds (default 10 000).
  timeoutMs: number;
  // The first backoff step in milliseconds, doubled each retry, with jitter (default 250).
  backoffMs: number;
  fetch: typeof fetch;
};

export const DEFAULT_RETRY: Omit<RetryOptions, "fetch"> = {
  maxRetries: 2,
  timeoutMs: 10_000,
  backoffMs: 250,
};

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"]);

// Requests that may be sent twice: idempotent methods (a PATCH sets fields), and revocation (revoking again answers
// the same).
function isRepeatable(request: Request): boolean {
  return IDEMPOTENT_METHODS.has(request.method) || /\/keys\/[^/]+\/revoke$/.test(new URL(request.url).pathname);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The wait before retry number `attempt` (0-based): exponential backoff with full jitter.
function backoff(attempt: number, options: RetryOptions): number {
  const ceiling = options.backoffMs * 2 ** attempt;
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

// The answer itself when its body is JSON (or empty); unexpected_response when it is not, such as an HTML page from a
// wrong endpoint.
async function jsonAnswer(response: Response, url: string): Promise<Response> {
  const text = await response.text();
  if (text.trim()) {
    try {
      JSON.parse(text);
    } catch {
      throw unexpectedResponse(response, undefined, url);
    }
  }
  return new Response(text || null, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
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

// A fetch for openapi-fetch: sends the request, retrying repeatable ones after network failures, timeouts and 5xx,
// and resolves to the last answer (whose body is JSON or empty).
export function retryingFetch(options: RetryOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    const attempts = isRepeatable(request) ? options.maxRetries + 1 : 1;
    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= attempts;
      let response: Response;
      try {
        response = await attemptOnce(request.clone(), options);
      } catch (err) {
        if (last) throw err;
        await sleep(backoff(attempt, options));
        continue;
      }
      if (response.status < 500 || last) return jsonAnswer(response, request.url);
      await sleep(backoff(attempt, options));
    }
  };
}
