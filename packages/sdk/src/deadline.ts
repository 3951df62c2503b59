// One HTTP exchange (headers and body) under a deadline that fires even if the fetch never notices its abort signal.
// A Request built as `new Request(request, { signal })` follows that signal only through weak references in Node's
// fetch, so a garbage collection between send and timeout loses the abort and the call hangs: the signal is passed
// straight to fetch here, and a timer of our own settles the call whatever fetch does.

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export class DeadlineError extends Error {
  override name = "TimeoutError";
}

// Sends `input` with `fetchImpl`, reads the whole body, and resolves to a Response holding it; rejects with a
// DeadlineError when the exchange takes longer than `ms`, aborting the request.
export async function fetchWithin(
  fetchImpl: typeof fetch,
  input: Request | string,
  init: RequestInit,
  ms: number,
): Promise<Response> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineError(`no answer within ${ms} ms`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  const exchange = (async () => {
    const response = await fetchImpl(input, { ...init, signal: controller.signal });
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  })();
  exchange.catch(() => {}); // settled by the race below; a late rejection after the deadline is not unhandled
  try {
    return await Promise.race([exchange, expired]);
  } finally {
    clearTimeout(timer);
  }
}
