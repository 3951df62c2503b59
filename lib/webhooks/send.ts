// One HTTP attempt of a webhook: a signed POST (Standard Webhooks) to the checked address, no redirects followed, a
// deadline, and at most the first EXCERPT_BYTES of the answer kept.
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { Webhook } from "standardwebhooks";
import type { ResolvedAddress } from "./ssrf";

export const SEND_TIMEOUT_MS = 10_000;
export const EXCERPT_BYTES = 1024;

export type AttemptResult = {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
};

export type SignedMessage = { id: string; timestamp: Date; body: string };

// The Standard Webhooks headers of a message signed with `secret` (whsec_…).
export function signatureHeaders(secret: string, message: SignedMessage): Record<string, string> {
  return {
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(message.timestamp.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(message.id, message.timestamp, message.body),
  };
}

// A lookup that answers the address already checked, whatever the host name: DNS is not asked a second time.
function pinnedLookup(target: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
}

// POSTs a signed message to `url`, connecting to `target` only. Never throws: failures are results.
export function sendAttempt(
  url: URL,
  target: ResolvedAddress,
  secret: string,
  message: SignedMessage,
  opts: { timeoutMs?: number } = {},
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const timeoutMs = opts.timeoutMs ?? SEND_TIMEOUT_MS;
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      // A connection of its own: no pooled socket is shared between endpoints or outlives the check.
      agent: false,
      lookup: pinnedLookup(target),
      headers: {
        "content-type": "application/json",
        "user-agent": "Keyhold-Webhooks/1.0",
        "content-length": Buffer.byteLength(message.body),
        ...signatureHeaders(secret, message),
      },
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ ok: false, statusCode: null, responseExcerpt: null, error: `Timed out after ${timeoutMs / 1000} s` });
    }, timeoutMs);
    request.on("error", (err: NodeJS.ErrnoException) =>
      finish({ ok: false, statusCode: null, responseExcerpt: null, error: err.code ?? err.message }),
    );
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const excerpt = Buffer.concat(chunks)
          .subarray(0, EXCERPT_BYTES)
          .toString("utf8")
          .replace(/\uFFFD+$/, "");
        const redirect = status >= 300 && status < 400;
        finish({
          ok: status >= 200 && status < 300,
          statusCode: status,
          responseExcerpt: excerpt || null,
          error: redirect
            ? `Redirect not followed (to ${response.headers.location ?? "nowhere"})`
            : status >= 200 && status < 300
              ? null
              : `HTTP ${status}`,
        });
        response.destroy();
      };
      response.on("data", (chunk: Buffer) => {
        if (size < EXCERPT_BYTES) chunks.push(chunk);
        size += chunk.length;
        // Enough kept: the rest of the body is not read.
        if (size >= EXCERPT_BYTES) done();
      });
      response.on("end", done);
      response.on("error", done);
    });
    request.end(message.body);
  });
}
