// keyhold listen --forward-to URL: the organization's events as they happen (GET /api/v1/events/stream), each POSTed
// to a local URL signed with Standard Webhooks headers and a signing secret printed at start, as `stripe listen` does.
import { randomBytes } from "node:crypto";
import { KeyholdError, signWebhook, type WebhookEvent } from "@keyhold/sdk";
import type { Command } from "commander";
import { clientFor, report, type Globals } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { note, out, style, when } from "../output.js";

// How long connecting may take, how long the stream may stay silent (the server sends a heartbeat every 15 s), how long
// the local URL gets to answer, and the longest wait before reconnecting.
const CONNECT_MS = 10_000;
const IDLE_MS = 45_000;
const FORWARD_MS = 10_000;
const MAX_BACKOFF_MS = 10_000;

type StreamEvent = { id: string; type: string; data: string };
type Options = { forwardTo: string; secret?: string; events?: string };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

// A new local signing secret: whsec_ and 24 random bytes in base64, as Keyhold's own.
function newSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

function forwardUrl(raw: string): string {
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol))
    throw new UsageError(`--forward-to must be an http(s) URL such as http://localhost:3000/hooks: ${raw}`);
  return raw;
}

function secretOf(raw: string | undefined): string {
  if (raw === undefined) return newSecret();
  if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(raw)) throw new UsageError("--secret must be a whsec_… secret (base64)");
  return raw;
}

// Reads text/event-stream frames from `body`, calling `onEvent` for each event; resolves when the stream ends. Aborts
// (through `idle`) when nothing, not even a heartbeat, arrives for IDLE_MS.
async function readEvents(
  body: ReadableStream<Uint8Array>,
  idle: () => void,
  onEvent: (e: StreamEvent) => Promise<void>,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  let frame: Partial<StreamEvent> & { data?: string } = {};
  let timer = setTimeout(idle, IDLE_MS);
  try {
    const reader = body.getReader();
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (done) break;
      clearTimeout(timer);
      timer = setTimeout(idle, IDLE_MS);
      buffer += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffer.search(/\r?\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer[newline] === "\r" ? 2 : 1));
        if (line === "") {
          if (frame.id && frame.data !== undefined)
            await onEvent({ id: frame.id, type: frame.type ?? "message", data: frame.data });
          frame = {};
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") frame.id = value;
        else if (field === "event") frame.type = value;
        else if (field === "data") frame.data = frame.data === undefined ? value : `${frame.data}\n${value}`;
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

// What an event is about, for its line: the key, request, member, endpoint or audit action it names.
function about(event: WebhookEvent): string {
  switch (event.type) {
    case "key_request.created":
    case "key_request.approved":
    case "key_request.denied":
      return `request “${event.data.request.name}”`;
    case "member.invited":
      return event.data.invitation.email;
    case "member.joined":
    case "member.removed":
      return event.data.member.email;
    case "webhook.disabled":
      return event.data.webhook.url;
    case "audit.event":
      return event.data.action;
    case "webhook.test":
      return event.data.webhookId;
    default:
      return `${event.data.key.name} (${event.data.key.prefix}…)`;
  }
}

// about() of a frame's payload; "" for a type this version does not know (a newer Keyhold) or an unexpected shape.
function aboutPayload(payload: string): string {
  try {
    return about(JSON.parse(payload) as WebhookEvent);
  } catch {
    return "";
  }
}

// POSTs one event to the local URL, signed; answers the status, or the error that kept it from answering.
async function forward(
  url: string,
  secret: string,
  e: StreamEvent,
): Promise<{ status?: number; error?: string; ms: number }> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...signWebhook(e.data, secret, { id: e.id }) },
      body: e.data,
      signal: AbortSignal.timeout(FORWARD_MS),
      redirect: "manual",
    });
    await res.body?.cancel();
    return { status: res.status, ms: Date.now() - started };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const reason =
      err instanceof Error && err.name === "TimeoutError"
        ? `no answer within ${FORWARD_MS / 1000} s`
        : (cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err)));
    return { error: reason, ms: Date.now() - started };
  }
}

// The error an answer other than the stream carries (Keyhold's {error: {code, message}}, else its status).
async function refusal(res: Response): Promise<KeyholdError> {
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  const code = body?.error?.code ?? "unexpected_response";
  const message = body?.error?.message ?? `Keyhold answered HTTP ${res.status} instead of an event stream`;
  return new KeyholdError(code as KeyholdError["code"], message, res.status);
}

async function listen(g: Globals, opts: Options): Promise<void> {
  const target = forwardUrl(opts.forwardTo);
  const secret = secretOf(opts.secret);
  const only = opts.events
    ? new Set(
        opts.events
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
      )
    : null;
  const client = clientFor(g);
  const headers = client.keyHeaders();
  const streamUrl = `${client.config.endpoint}/api/v1/events/stream`;

  const stopped = new AbortController();
  let forwarded = 0;
  const stop = () => stopped.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);

  let lastEventId = null as string | null;
  let ready = false;
  let backoff = 500;
  while (!stopped.signal.aborted) {
    const attempt = new AbortController();
    const onStop = () => attempt.abort();
    stopped.signal.addEventListener("abort", onStop, { once: true });
    const connectTimer = setTimeout(() => attempt.abort(), CONNECT_MS);
    try {
      const res = await fetch(streamUrl, {
        headers: { ...headers, accept: "text/event-stream", ...(lastEventId ? { "last-event-id": lastEventId } : {}) },
        signal: attempt.signal,
      });
      clearTimeout(connectTimer);
      if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
      if (!res.ok || !res.body) throw await refusal(res);
      backoff = 500;
      if (!ready) {
        ready = true;
        if (g.json) out(JSON.stringify({ ready: true, forwardTo: target, secret }));
        else {
          out(`Ready! Forwarding events to ${target}. Your local signing secret is ${secret}`);
          note(style.errDim("Verify deliveries with it as you would Keyhold's (webhooks.verify). Ctrl-C to quit."));
        }
      } else if (!g.json) note(style.errDim("Reconnected."));
      await readEvents(
        res.body,
        () => attempt.abort(),
        async (e) => {
          lastEventId = e.id;
          if (only && !only.has(e.type)) return;
          const result = await forward(target, secret, e);
          forwarded++;
          if (g.json) out(JSON.stringify({ id: e.id, type: e.type, ...result }));
          else {
            const outcome =
              result.status === undefined
                ? style.red(`error: ${result.error}`)
                : result.status < 300
                  ? style.green(String(result.status))
                  : style.yellow(String(result.status));
            const subject = aboutPayload(e.data);
            out(
              `${when(new Date().toISOString())}  ${e.type}  ${subject ? `${subject}  ` : ""}${e.id}  → ${outcome} (${result.ms} ms)`,
            );
          }
        },
      );
    } catch (err) {
      clearTimeout(connectTimer);
      if (stopped.signal.aborted) break;
      if (err instanceof KeyholdError) throw err;
      if (!g.json)
        note(
          style.errDim(
            `Connection to ${client.config.endpoint} lost (${err instanceof Error ? err.message : err}); retrying…`,
          ),
        );
    } finally {
      stopped.signal.removeEventListener("abort", onStop);
    }
    if (stopped.signal.aborted) break;
    // The server ended the stream (it drains) or the connection failed: resume after the last event seen.
    await sleep(backoff, stopped.signal);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  if (!g.json) note(`Stopped after forwarding ${forwarded} event${forwarded === 1 ? "" : "s"}.`);
}

// Adds `listen` to the program.
export function listenCommand(program: Command) {
  program
    .command("listen")
    .description("forward the organization's events as they happen to a local URL, signed (admin key; Ctrl-C to stop)")
    .requiredOption("--forward-to <url>", "where to POST each event, such as http://localhost:3000/hooks")
    .option("--secret <whsec>", "sign with this whsec_… secret instead of a new one printed at start")
    .option("--events <types>", "only these event types, comma-separated (default: every event)")
    .addHelpText(
      "after",
      "\nEach event is POSTed as Keyhold delivers webhooks: the JSON {type, timestamp, data} with webhook-id,\n" +
        "webhook-timestamp and webhook-signature headers. One line per event shows the local answer's status.\n" +
        "  keyhold listen --forward-to http://localhost:3000/hooks",
    )
    .action(async (opts: Options, command: Command) => {
      const g = command.optsWithGlobals<Globals>();
      try {
        await listen(g, opts);
        process.exitCode = 0;
      } catch (err) {
        report(err, g);
      }
    });
}
